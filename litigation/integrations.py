"""The only places where litigation reads the support app (its public selectors), kept in one small
module so the link is easy to follow and to fake in tests."""

from collections.abc import Iterable


def active_support_household_ids(household_ids: Iterable[int]) -> set[int]:
    """Households with an open support episode (one query)."""
    from support.selectors import active_episode_household_ids

    return active_episode_household_ids(household_ids)


def dsf_prefill_for(household_id: int) -> dict:
    """The support app's pre-fill plus the rent debt of the landlord's account (litigation.arrears)."""
    from support.selectors import dsf_prefill

    from .arrears import household_arrears

    prefill = dsf_prefill(household_id)
    debt = household_arrears([household_id])[household_id]
    prefill["rent_debt"], prefill["rent_debt_on"] = debt.amount, debt.as_of
    return prefill
