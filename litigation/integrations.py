"""The only places where litigation reads the support app (its public selectors), kept in one small
module so the link is easy to follow and to fake in tests."""

from collections.abc import Iterable


def active_support_household_ids(household_ids: Iterable[int]) -> set[int]:
    """Households with an open support episode (one query)."""
    from support.selectors import active_episode_household_ids

    return active_episode_household_ids(household_ids)


def dsf_prefill_for(household_id: int) -> dict:
    from support.selectors import dsf_prefill

    return dsf_prefill(household_id)
