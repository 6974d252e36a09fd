"""The household budget: effort rate, consumption units and reste à vivre (pure, typed, no ORM).

This module is the one owner of these figures: the household file, the budget page, the COPIL dossier,
the DSF sent to the judge and the quarterly report all take them from here, and the frozen figures
(entry, exit) record `RULE_VERSION`. Definitions and sources: docs/domain.md.

- Effort rate = (rent + charges − housing benefit) ÷ resources. The housing benefit (APL or AL) lowers
  the housing cost whoever receives it (landlord or tenant) and is never a resource (arrêté du
  10 mars 2011, CCH R.441-3-1). No resources: no rate ("ressources nulles : taux non calculable").
- Consumption units, modified OECD scale: 1 for the first adult, 0.5 per other person aged 14 or more,
  0.3 per child under 14 (INSEE); the age comes from the birth date when known, else the birth year.
- Reste à vivre = resources − (rent + charges − housing benefit) − fixed charges − debt repayments, per
  month, per consumption unit and per day per unit (30 days a month). Food and everyday spending are
  what it is for: they are never deducted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

RULE_VERSION = "2026.1"  # bump when a definition below changes: frozen figures say which rule made them

ACCESS_CAP = Decimal("0.25")
RELOCATION_THRESHOLD = Decimal("0.35")
ADULT_AGE = 14
DAYS_PER_MONTH = 30
ZERO = Decimal(0)
CENT = Decimal("0.01")
RATE_QUANTUM = Decimal("0.0001")
UNIT_ADULT_FIRST = Decimal(1)
UNIT_ADULT_OTHER = Decimal("0.5")
UNIT_CHILD = Decimal("0.3")

#: Shown instead of a rate when the household declares no resources (templates translate it:
#: templates/households/_effort_rate.html).
ZERO_RESOURCES_TEXT = "ressources nulles : taux non calculable"

Band = Literal["ok", "warning", "danger", "unknown"]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Person:
    """A member of the household (the reference tenant included) as the scale needs it."""

    birth_year: int
    birth_date: date | None = None

    def age_on(self, on: date) -> int:
        if self.birth_date is not None:
            before_birthday = (on.month, on.day) < (self.birth_date.month, self.birth_date.day)
            return on.year - self.birth_date.year - int(before_birthday)
        return on.year - self.birth_year


def consumption_units(people: Iterable[Person], on: date) -> Decimal:
    """Modified OECD scale: the oldest person counts 1, every other person 0.5 from 14, 0.3 below."""
    ages = sorted((person.age_on(on) for person in people), reverse=True)
    if not ages:
        return ZERO
    units = UNIT_ADULT_FIRST
    for age in ages[1:]:
        units += UNIT_ADULT_OTHER if age >= ADULT_AGE else UNIT_CHILD
    return units


def housing_cost(*, rent: Decimal, charges: Decimal, housing_benefit: Decimal) -> Decimal:
    """Rent + charges − housing benefit, whoever receives the benefit; never below zero."""
    return max(rent + charges - housing_benefit, ZERO)


def effort_rate(*, rent: Decimal, charges: Decimal, housing_benefit: Decimal,
                resources: Decimal) -> Decimal | None:
    """(rent + charges − housing benefit) ÷ resources, a ratio rounded to 4 places (26,6 % = 0.2658).

    None when the household declares no resources: the rate is not computable, not infinite."""
    if resources <= 0:
        return None
    cost = housing_cost(rent=rent, charges=charges, housing_benefit=housing_benefit)
    return (cost / resources).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


def effort_band(rate: Decimal | None) -> Band:
    """'ok' up to the 25 % access cap, 'warning' up to 35 %, 'danger' above (relocation option)."""
    if rate is None:
        return "unknown"
    if rate <= ACCESS_CAP:
        return "ok"
    if rate <= RELOCATION_THRESHOLD:
        return "warning"
    return "danger"


@dataclass(frozen=True)
class Housing:
    """The lease's monthly figures (zero when the household has no current lease)."""

    rent: Decimal = ZERO
    charges: Decimal = ZERO
    housing_benefit: Decimal = ZERO
    benefit_paid_to_landlord: bool = True

    @property
    def cost(self) -> Decimal:
        return housing_cost(rent=self.rent, charges=self.charges, housing_benefit=self.housing_benefit)

    @property
    def due_to_landlord(self) -> Decimal:
        """What the tenant owes the landlord each month: the benefit is deducted only when the landlord
        receives it (third-party payment). Decides constituted arrears, not the effort rate."""
        benefit = self.housing_benefit if self.benefit_paid_to_landlord else ZERO
        return max(self.rent + self.charges - benefit, ZERO)


@dataclass(frozen=True)
class BudgetInput:
    resources: Decimal
    housing: Housing | None
    units: Decimal
    fixed_charges: Decimal = ZERO
    debt_repayments: Decimal = ZERO


@dataclass(frozen=True)
class RemainingIncome:
    """Reste à vivre per month, per consumption unit and per day per unit (None without units)."""

    monthly: Decimal
    per_unit: Decimal | None
    per_day_per_unit: Decimal | None


def remaining_income(*, resources: Decimal, housing_cost: Decimal, fixed_charges: Decimal,
                     debt_repayments: Decimal, units: Decimal) -> RemainingIncome:
    """resources − housing cost (net of the benefit) − fixed charges − debt repayments."""
    monthly = money(resources - housing_cost - fixed_charges - debt_repayments)
    if units <= 0:
        return RemainingIncome(monthly=monthly, per_unit=None, per_day_per_unit=None)
    return RemainingIncome(monthly=monthly, per_unit=money(monthly / units),
                           per_day_per_unit=money(monthly / units / DAYS_PER_MONTH))


@dataclass(frozen=True)
class BudgetFigures:
    resources: Decimal
    housing_cost: Decimal
    due_to_landlord: Decimal
    fixed_charges: Decimal
    debt_repayments: Decimal
    units: Decimal
    effort_rate: Decimal | None
    effort_band: Band
    remaining: RemainingIncome
    rule_version: str = RULE_VERSION

    @property
    def outgoings(self) -> Decimal:
        return self.housing_cost + self.fixed_charges + self.debt_repayments

    @property
    def no_resources(self) -> bool:
        """No resources declared: pages print ZERO_RESOURCES_TEXT instead of a rate."""
        return self.resources <= 0


def figures(data: BudgetInput) -> BudgetFigures:
    """Every figure of the budget from one set of plain inputs."""
    housing = data.housing or Housing()
    rate = (effort_rate(rent=housing.rent, charges=housing.charges, housing_benefit=housing.housing_benefit,
                        resources=data.resources) if data.housing is not None else None)
    return BudgetFigures(
        resources=data.resources, housing_cost=housing.cost, due_to_landlord=housing.due_to_landlord,
        fixed_charges=data.fixed_charges, debt_repayments=data.debt_repayments, units=data.units,
        effort_rate=rate, effort_band=effort_band(rate),
        remaining=remaining_income(resources=data.resources, housing_cost=housing.cost,
                                   fixed_charges=data.fixed_charges, debt_repayments=data.debt_repayments,
                                   units=data.units))
