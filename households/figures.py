"""The household's figures as every screen shows them (docs/domain.md).

`households.budget` holds the rules on plain values; this module feeds it the household's rows and
what the apps above add through hooks they register in their AppConfig.ready(), so that households
imports none of them (layers: households → support / litigation → copil → reports):

- support registers the fixed charges and debt repayments of the budget (`register_outgoings`);
- litigation registers the rent arrears from the landlord's rent account (`register_arrears`).

The household file, the COPIL dossier and the budget page call `household_figures`; the DSF and the
report call the same functions underneath. `housing_cost_sql` is the SQL twin of
`budget.housing_cost` for the report's fallback on households entered before figures were frozen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Value
from django.db.models.functions import Greatest

from . import budget

ZERO = Decimal(0)
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class Outgoings:
    fixed_charges: Decimal = ZERO
    debt_repayments: Decimal = ZERO


@dataclass(frozen=True)
class Debt:
    """Rent arrears on a date (the end of the latest month of the rent account)."""

    amount: Decimal
    as_of: date | None


OutgoingsProvider = Callable[[list[int]], dict[int, Outgoings]]
ArrearsProvider = Callable[[list[int]], dict[int, Debt]]
_outgoings: list[OutgoingsProvider] = []
_arrears: list[ArrearsProvider] = []


def register_outgoings(provider: OutgoingsProvider) -> None:
    if provider not in _outgoings:
        _outgoings.append(provider)


def register_arrears(provider: ArrearsProvider) -> None:
    if provider not in _arrears:
        _arrears.append(provider)


def outgoings_of(household_ids: Iterable[int]) -> dict[int, Outgoings]:
    ids = list(household_ids)
    result = {pk: Outgoings() for pk in ids}
    for provider in _outgoings:
        for pk, more in provider(ids).items():
            current = result[pk]
            result[pk] = Outgoings(current.fixed_charges + more.fixed_charges,
                                   current.debt_repayments + more.debt_repayments)
    return result


def arrears_of(household_ids: Iterable[int]) -> dict[int, Debt]:
    ids = list(household_ids)
    result = {pk: Debt(ZERO, None) for pk in ids}
    for provider in _arrears:
        result.update(provider(ids))
    return result


@dataclass(frozen=True)
class HouseholdFigures:
    budget: budget.BudgetFigures
    debt: Debt


def figures_from(household, outgoings: Outgoings, *, on: date | None = None) -> budget.BudgetFigures:
    """The budget of a household (prefetched members, resources, leases) with these outgoings."""
    return budget.figures(household.budget_input(fixed_charges=outgoings.fixed_charges,
                                                 debt_repayments=outgoings.debt_repayments, on=on))


def household_figures(household, *, on: date | None = None) -> HouseholdFigures:
    """Effort rate, reste à vivre and rent debt of one household, as every screen shows them."""
    outgoings = outgoings_of([household.pk])[household.pk]
    return HouseholdFigures(budget=figures_from(household, outgoings, on=on),
                            debt=arrears_of([household.pk])[household.pk])


def housing_cost_sql(prefix: str = "") -> Greatest:
    """SQL twin of budget.housing_cost on a Lease row (`prefix` is the path to the lease)."""
    cost = ExpressionWrapper(F(f"{prefix}rent") + F(f"{prefix}service_charges") - F(f"{prefix}housing_benefit"),
                             output_field=MONEY_FIELD)
    return Greatest(cost, Value(ZERO, output_field=MONEY_FIELD), output_field=MONEY_FIELD)
