"""The only places where litigation reads the support app, kept in one small module so the link is
easy to follow and to fake in tests. support is litigation's sibling, not below it: the functions
are registered by support in zel.providers (support/apps.py), never imported from here."""

from collections.abc import Iterable

from zel import providers


def active_support_household_ids(household_ids: Iterable[int]) -> set[int]:
    """Households with an open support episode (one query)."""
    return providers.get(providers.SUPPORTED_HOUSEHOLD_IDS)(household_ids)


def dsf_prefill_for(household_id: int) -> dict:
    return providers.get(providers.DSF_PREFILL)(household_id)
