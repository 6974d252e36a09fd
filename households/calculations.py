"""Effort rate and remaining income: the figures every decision is taken on (pure functions)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ACCESS_CAP = Decimal("0.25")
RELOCATION_THRESHOLD = Decimal("0.35")
ADULT_AGE = 14


def effort_rate(*, rent: Decimal, charges: Decimal, housing_benefit: Decimal,
                resources: Decimal) -> Decimal | None:
    """(rent + charges − housing benefit) ÷ monthly resources, as a ratio rounded to 4 places.

    None when the household declares no resources: a rate would be infinite, not meaningful.
    """
    if resources <= 0:
        return None
    net_cost = max(rent + charges - housing_benefit, Decimal(0))
    return (net_cost / resources).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def consumption_units(ages: Iterable[int]) -> Decimal:
    """OECD-modified scale: 1 for the first adult, 0.5 per other person aged 14+, 0.3 per child."""
    ordered = sorted(ages, reverse=True)
    if not ordered:
        return Decimal(0)
    units = Decimal(1)
    for age in ordered[1:]:
        units += Decimal("0.5") if age >= ADULT_AGE else Decimal("0.3")
    return units


@dataclass(frozen=True)
class RemainingIncome:
    total: Decimal
    per_unit: Decimal | None


def remaining_income(*, resources: Decimal, fixed_charges: Decimal, units: Decimal) -> RemainingIncome:
    total = resources - fixed_charges
    per_unit = (total / units).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if units else None
    return RemainingIncome(total=total, per_unit=per_unit)


def effort_band(rate: Decimal | None) -> str:
    """'ok' up to the 25 % access cap, 'warning' up to 35 %, 'danger' above (relocation option)."""
    if rate is None:
        return "unknown"
    if rate <= ACCESS_CAP:
        return "ok"
    if rate <= RELOCATION_THRESHOLD:
        return "warning"
    return "danger"
