"""The only places where litigation reads the support app, kept in one small module so the link is
easy to follow and to fake in tests. support is litigation's sibling, not below it: the functions
are registered by support in zel.providers (support/apps.py), never imported from here."""

from collections.abc import Iterable

from zel import providers


def active_support_household_ids(household_ids: Iterable[int]) -> set[int]:
    """Households with an open support episode (one query)."""
    return providers.get(providers.SUPPORTED_HOUSEHOLD_IDS)(household_ids)


def supported_households():
    """The same households as a subquery of `household_id` values (for the jobs' set-based SQL)."""
    return providers.get(providers.SUPPORTED_HOUSEHOLDS)()


def dsf_prefill_for(household_id: int) -> dict:
    """The support app's pre-fill (through the providers registry: litigation may not import support)
    plus the rent debt of the landlord's account (litigation.arrears)."""
    from .arrears import household_arrears

    prefill = providers.get(providers.DSF_PREFILL)(household_id)
    debt = household_arrears([household_id])[household_id]
    prefill["rent_debt"], prefill["rent_debt_on"] = debt.amount, debt.as_of
    return prefill
