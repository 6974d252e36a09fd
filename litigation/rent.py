"""Arrears and repayment-plan arithmetic on plain values (no ORM), shared by pages, the early-warning
job and the reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

ZERO = Decimal(0)
RESIDUAL_RENT_RESUMED_MONTHS = 3  # "rent paid again": the current rent paid 3 months in a row


@dataclass(frozen=True)
class MonthLine:
    month: date
    called: Decimal
    benefit: Decimal
    paid: Decimal

    @property
    def net_due(self) -> Decimal:
        return self.called - self.benefit

    @property
    def balance(self) -> Decimal:
        return self.net_due - self.paid


@dataclass(frozen=True)
class DebtPoint:
    month: date
    net_due: Decimal
    paid: Decimal
    debt: Decimal  # cumulative arrears at the end of the month


def debt_series(lines: Iterable[MonthLine]) -> list[DebtPoint]:
    """Cumulative arrears month by month, as the landlord's account nets them (an advance offsets a
    later debt); shown never below zero, since an advance is not a debt."""
    points, balance = [], ZERO
    for line in sorted(lines, key=lambda item: item.month):
        balance += line.balance
        points.append(DebtPoint(line.month, line.net_due, line.paid, max(ZERO, balance)))
    return points


def arrears(lines: Iterable[MonthLine]) -> Decimal:
    series = debt_series(lines)
    return series[-1].debt if series else ZERO


def months_of_arrears(debt: Decimal, monthly_due: Decimal) -> Decimal:
    if monthly_due <= 0:
        return ZERO
    return (debt / monthly_due).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_constituted(debt: Decimal, monthly_due: Decimal) -> bool:
    """Arrears constituted: debt ≥ 2 × monthly rent and charges net of the benefit paid to the landlord."""
    return monthly_due > 0 and debt >= 2 * monthly_due


def grew_two_months_in_a_row(series: Sequence[DebtPoint]) -> bool:
    """The debt grew last month and the month before (a second month of growth)."""
    if len(series) < 3:
        return False
    a, b, c = series[-3].debt, series[-2].debt, series[-1].debt
    return a < b < c


def became_constituted(series: Sequence[DebtPoint]) -> bool:
    """The arrears became constituted with the latest month: they are now, and were not the month
    before (a first month of account already in debt counts)."""
    if not series:
        return False
    last = series[-1]
    if len(series) == 1:
        return is_constituted(last.debt, last.net_due)
    before = series[-2]
    return is_constituted(last.debt, last.net_due) and not is_constituted(before.debt, before.net_due)


def months_paid_in_a_row(lines: Iterable[MonthLine]) -> int:
    """How many of the latest months had the current rent (net of benefit) paid in full."""
    count = 0
    for line in sorted(lines, key=lambda item: item.month, reverse=True):
        if line.paid >= line.net_due:
            count += 1
        else:
            break
    return count


def residual_rent_resumed(lines: Iterable[MonthLine], months: int = RESIDUAL_RENT_RESUMED_MONTHS) -> bool:
    return months_paid_in_a_row(lines) >= months


# ---------------------------------------------------------------------------------------------
# Repayment plans
# ---------------------------------------------------------------------------------------------

def schedule(*, total_debt: Decimal, starts_on: date, months: int) -> list[tuple[date, Decimal]]:
    """Equal monthly installments on the same day number; the last absorbs the rounding."""
    from .deadlines import add_months

    if months < 1:
        raise ValueError("months must be >= 1")
    base = (total_debt / months).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    rows = [(add_months(starts_on, i), base) for i in range(months)]
    rows[-1] = (rows[-1][0], total_debt - base * (months - 1))
    return rows


@dataclass(frozen=True)
class InstallmentState:
    due_on: date
    amount: Decimal
    covered: Decimal
    status: str  # "paid", "missed", "partial", "upcoming"


@dataclass(frozen=True)
class PlanState:
    installments: list[InstallmentState]
    repaid: Decimal
    remaining_debt: Decimal
    due_count: int
    kept_count: int
    missed_count: int
    adherence: Decimal | None  # kept / due, None before the first due date
    residual_rent_months: int
    residual_rent_resumed: bool

    @property
    def is_kept(self) -> bool:
        return self.missed_count == 0


def plan_state(*, total_debt: Decimal, installments: Sequence[tuple[date, Decimal]],
               lines: Iterable[MonthLine], today: date, starts_on: date) -> PlanState:
    """Matches the rent account to the plan: what a month's payment leaves after the current rent
    (the residual rent) goes to the plan's installments, oldest first."""
    lines = [line for line in lines if line.month >= starts_on.replace(day=1)]
    surplus_by_month: dict[date, Decimal] = {}
    for line in lines:
        surplus_by_month[line.month] = surplus_by_month.get(line.month, ZERO) + max(ZERO, line.paid - line.net_due)
    repaid = sum(surplus_by_month.values(), ZERO)
    available = repaid
    states: list[InstallmentState] = []
    due = kept = missed = 0
    # A month's installment is due once its date has passed and the month is in the rent account.
    known_months = set(surplus_by_month)
    for due_on, amount in sorted(installments):
        covered = min(amount, max(ZERO, available))
        available -= covered
        is_due = due_on <= today and due_on.replace(day=1) in known_months
        if covered >= amount:
            status = "paid"
        elif is_due:
            status = "missed" if covered == 0 else "partial"
        else:
            status = "upcoming"
        if is_due:
            due += 1
            kept += status == "paid"
            missed += status in ("missed", "partial")
        states.append(InstallmentState(due_on, amount, covered, status))
    in_a_row = months_paid_in_a_row(lines)
    return PlanState(
        installments=states, repaid=repaid, remaining_debt=max(ZERO, total_debt - repaid),
        due_count=due, kept_count=kept, missed_count=missed,
        adherence=(Decimal(kept) / Decimal(due)).quantize(Decimal("0.001")) if due else None,
        residual_rent_months=in_a_row, residual_rent_resumed=in_a_row >= RESIDUAL_RENT_RESUMED_MONTHS)


def svg_points(series: Sequence[DebtPoint], *, width: int = 600, height: int = 160,
               padding: int = 20) -> dict[str, Any]:
    """Coordinates for the small debt chart (an inline SVG polyline, no script)."""
    if not series:
        return {"points": "", "max": ZERO, "width": width, "height": height, "dots": []}
    top = max((p.debt for p in series), default=ZERO) or Decimal(1)
    step = (width - 2 * padding) / max(1, len(series) - 1)
    dots = []
    for i, point in enumerate(series):
        x = padding + i * step
        y = height - padding - float(point.debt / top) * (height - 2 * padding)
        dots.append({"x": round(x, 1), "y": round(y, 1), "month": point.month, "debt": point.debt})
    return {"points": " ".join(f"{d['x']},{d['y']}" for d in dots), "max": top, "width": width,
            "height": height, "dots": dots, "baseline": height - padding}
