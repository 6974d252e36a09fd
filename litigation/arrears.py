"""The one arrears rule, in SQL: what the landlord's rent account says the tenant owes (docs/domain.md,
"arrears"). Its Python twin on plain values is `litigation.rent.arrears`; a test checks they agree.

A lease's arrears = the cumulative balance of its rent account (called − housing benefit paid to the
landlord − paid), never below zero: a month paid in advance is netted against a later debt, as the
landlord does, but an advance is not a negative debt. A household's arrears = the sum of its leases'
arrears (a credit on one lease does not pay the debt of another).

Every screen that shows a rent debt takes it from here: the procedure page and list (through the
procedure's cached `current_debt`, refreshed by this expression), the COPIL dossier and the household
file (registered with households.figures), the DSF pre-fill, the repayment-plan form and the report.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Exists, ExpressionWrapper, F, Max, OuterRef, Subquery, Sum, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest

from households.models import Lease

from .models import RentAccountLine

ZERO = Decimal(0)
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
SQL_ZERO = Value(ZERO, output_field=MONEY_FIELD)


def line_balance() -> ExpressionWrapper:
    """What a rent line leaves unpaid: called − housing benefit − paid (negative when overpaid)."""
    return ExpressionWrapper(F("amount_called") - F("housing_benefit") - F("amount_paid"), output_field=MONEY_FIELD)


def _month_filter(on: date | Combinable | None, before: date | Combinable | None) -> dict:
    lookups: dict = {}
    if on is not None:
        lookups["month__lte"] = on  # a line counts on a day when its month starts on or before it
    if before is not None:
        lookups["month__lt"] = before
    return lookups


def lease_arrears_sql(lease_ref: str = "pk", *, on: date | Combinable | None = None,
                      before: date | Combinable | None = None) -> Greatest:
    """A lease's arrears as an SQL expression on a row whose `lease_ref` is the lease id."""
    lines = (RentAccountLine.objects.filter(lease_id=OuterRef(lease_ref), **_month_filter(on, before)).order_by()
             .values("lease_id").annotate(balance=Sum(line_balance())).values("balance"))
    return Greatest(Coalesce(Subquery(lines, output_field=MONEY_FIELD), SQL_ZERO), SQL_ZERO, output_field=MONEY_FIELD)


def household_arrears_sql(household_ref: str = "pk", *, on: date | Combinable | None = None,
                          before: date | Combinable | None = None) -> Coalesce:
    """A household's arrears (sum of its leases') as an SQL expression on a row whose `household_ref`
    is the household id. `on`/`before` may be dates or expressions of the outer row (OuterRef)."""
    if isinstance(on, OuterRef):
        on = OuterRef(on)
    if isinstance(before, OuterRef):
        before = OuterRef(before)
    leases = (Lease.objects.filter(household_id=OuterRef(household_ref)).order_by()
              .annotate(_arrears=lease_arrears_sql("pk", on=on, before=before))
              .values("household_id").annotate(total=Sum("_arrears")).values("total"))
    return Coalesce(Subquery(leases, output_field=MONEY_FIELD), SQL_ZERO, output_field=MONEY_FIELD)


def _cents(amount: Decimal | None) -> Decimal:
    # SQLite sums decimals as floats (8.62000000000002): back to cents, as PostgreSQL gives them.
    return (amount or ZERO).quantize(Decimal("0.01"))


def lease_arrears(lease_ids: Iterable[int], *, on: date | None = None) -> dict[int, Decimal]:
    """Arrears per lease that has a rent account (one query); leases without any line are absent."""
    has_lines = Exists(RentAccountLine.objects.filter(lease_id=OuterRef("pk")))
    rows = (Lease.objects.filter(has_lines, pk__in=list(lease_ids))
            .annotate(_arrears=lease_arrears_sql("pk", on=on)).values_list("pk", "_arrears"))
    return {pk: _cents(amount) for pk, amount in rows}


@dataclass(frozen=True)
class HouseholdArrears:
    amount: Decimal
    as_of: date | None  # the last day of the latest month of the rent account


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def household_arrears(household_ids: Iterable[int], *, on: date | None = None) -> dict[int, HouseholdArrears]:
    """Arrears per household (sum of its leases) and the date they stand at (one query)."""
    from households.models import Household

    latest = (RentAccountLine.objects.filter(lease__household_id=OuterRef("pk"), **_month_filter(on, None))
              .order_by().values("lease__household_id").annotate(m=Max("month")).values("m"))
    rows = (Household.objects.filter(pk__in=list(household_ids))
            .annotate(_arrears=household_arrears_sql("pk", on=on), _latest=Subquery(latest))
            .values_list("pk", "_arrears", "_latest"))
    return {pk: HouseholdArrears(_cents(amount), month_end(latest) if latest else None)
            for pk, amount, latest in rows}


def lease_debt(lease_id: int, *, on: date | None = None) -> HouseholdArrears | None:
    """One lease's arrears and the date they stand at; None when the lease has no rent account."""
    amount = lease_arrears([lease_id], on=on).get(lease_id)
    if amount is None:
        return None
    latest = (RentAccountLine.objects.filter(lease_id=lease_id, **_month_filter(on, None))
              .aggregate(m=Max("month"))["m"])
    return HouseholdArrears(amount, month_end(latest) if latest else None)
