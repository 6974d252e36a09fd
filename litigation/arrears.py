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

from django.db import router
from django.db.models import DecimalField, Exists, ExpressionWrapper, F, Max, OuterRef, Subquery, Sum, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest

from households.models import Lease
from zel.lib.compiled import CompiledQuery

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


@dataclass(frozen=True)
class ArrearsCut:
    """One date at which a set of households' arrears is read (`arrears_by_household_sql`): the lines
    whose month is on or before (`on`) or strictly before (`before`) the date in `column`."""

    column: str
    before: bool = False


@dataclass(frozen=True)
class RentWindow:
    """The months between two dates (`start` and `end`: date columns of the source, both included) in
    `arrears_by_household_sql`: its `{name}_lines`, the household's number of rent lines of those
    months, and `{name}_balance`, what they leave unpaid (the sum of their balances, an advance of one
    lease set against the other's: the quarter's rent, not arrears)."""

    start: str
    end: str


def arrears_by_household_sql(source: str, cuts: dict[str, ArrearsCut],
                             windows: dict[str, RentWindow] | None = None) -> str:
    """The same rule as `household_arrears_sql`, set-based: a query over `source` (a CTE name whose
    rows have `hid`, a household id, and the cuts' date columns) giving `hid`, the arrears at each cut
    and `lines`, the number of rent lines (and each window's lines and balance). Households without a
    rent line are absent.

    One pass over the rent lines of the source's households (a hash join) instead of one index probe
    per household and date: the report reads the arrears of up to every household at several dates."""
    balance = "r.amount_called - r.housing_benefit - r.amount_paid"
    per_lease = [f"SUM(CASE WHEN r.month {'<' if cut.before else '<='} s.{cut.column} THEN {balance} END) AS {name}"
                 for name, cut in cuts.items()]
    # A lease's arrears never go below zero (an advance is not a negative debt), then add up.
    per_household = [f"SUM(CASE WHEN b.{name} > 0 THEN b.{name} ELSE 0 END) AS {name}" for name in cuts]
    for name, window in (windows or {}).items():
        within = f"r.month >= s.{window.start} AND r.month <= s.{window.end}"
        per_lease += [f"SUM(CASE WHEN {within} THEN 1 ELSE 0 END) AS {name}_lines",
                      f"SUM(CASE WHEN {within} THEN {balance} END) AS {name}_balance"]
        per_household += [f"SUM(b.{name}_lines) AS {name}_lines", f"SUM(b.{name}_balance) AS {name}_balance"]
    lease, line = Lease._meta.db_table, RentAccountLine._meta.db_table
    # Grouped by the lease's key alone (its household follows from it): the planner then expects
    # as many groups as leases, where (household, lease) made it expect ten times more and spill
    # the hash to disk (series of eight cuts at 10⁶: 10,6 s → 9,0 s).
    return (f"SELECT b.hid, {', '.join(per_household)}, SUM(b.lines) AS lines FROM ("
            f"SELECT l.household_id AS hid, {', '.join(per_lease)}, COUNT(*) AS lines FROM {source} s "
            f"JOIN {lease} l ON l.household_id = s.hid JOIN {line} r ON r.lease_id = l.id "
            f"GROUP BY l.id) b GROUP BY b.hid")


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


def _household_arrears_query(*ids_then_on):
    from households.models import Household

    *ids, on = ids_then_on
    latest = (RentAccountLine.objects.filter(lease__household_id=OuterRef("pk"), **_month_filter(on, None))
              .order_by().values("lease__household_id").annotate(m=Max("month")).values("m"))
    return (Household.objects.filter(pk__in=ids)
            .annotate(_arrears=household_arrears_sql("pk", on=on), _latest=Subquery(latest))
            .values_list("pk", "_arrears", "_latest"))


# Compiled once per number of households and date (zel.lib.compiled): the household file and the
# lists that show a debt read it on every view, and its nested subqueries took longer to compile
# than to run.
_HOUSEHOLD_ARREARS = CompiledQuery(_household_arrears_query)


def household_arrears(household_ids: Iterable[int], *, on: date | None = None) -> dict[int, HouseholdArrears]:
    """Arrears per household (sum of its leases) and the date they stand at (one query)."""
    from households.models import Household

    ids = list(household_ids)
    if not ids:
        return {}
    rows = _HOUSEHOLD_ARREARS.rows(*ids, key=(on,), using=router.db_for_read(Household))
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


# ---------------------------------------------------------------------------------------------
# The early-warning rules in SQL (the daily job over every lease)
# ---------------------------------------------------------------------------------------------

# The twin of litigation.rent's `debt_series` + `became_constituted` + `grew_two_months_in_a_row`, in
# cents (exact: numeric on PostgreSQL, integers on SQLite, whose decimals are floats). With total =
# the sum of a lease's balances and b_k the balance of its k-th latest line, debt_series gives
#   debt_1 = max(0, total), debt_2 = max(0, total - b_1), debt_3 = max(0, total - b_1 - b_2)
# and the rules read:
#   threshold: is_constituted(debt_1, due_1) and not is_constituted(debt_2, due_2) (a single line:
#              is_constituted(debt_1, due_1));  is_constituted(d, due) = due > 0 and d >= 2 * due
#   growing:   three lines or more and debt_3 < debt_2 < debt_1
# Both need debt_1 > 0, so one aggregate pass over the lines keeps only the leases in debt, and only
# those have their two latest lines read (through the (lease, month) index).
# tests/litigation/test_early_warning_job.py checks on random rent histories that it agrees with them.
_CENTS = {"postgresql": "(({}) * 100)", "sqlite": "CAST(ROUND(({}) * 100) AS INTEGER)"}
# Summed in euros then turned into cents on PostgreSQL (exact, and one multiplication per lease
# instead of one per line).
_SUM_CENTS = {"postgresql": "(SUM({}) * 100)", "sqlite": "SUM(CAST(ROUND(({}) * 100) AS INTEGER))"}
_DUE = "{0}.amount_called - {0}.housing_benefit"
_BALANCE = "{0}.amount_called - {0}.housing_benefit - {0}.amount_paid"
# PostgreSQL would inline the CTEs and evaluate the latest lines' subqueries once per use.
_MATERIALIZED = {"postgresql": "MATERIALIZED", "sqlite": ""}
_PERIOD_KEY = {"postgresql": "to_char(f.month_1, 'YYYY-MM')", "sqlite": "strftime('%%Y-%%m', f.month_1)"}

EARLY_WARNING_SQL = """
WITH totals AS {materialized} (
    SELECT r.lease_id, COUNT(*) AS n, MAX(r.month) AS month_1, {sum_balance_r} AS debt_1
    FROM litigation_rentaccountline r
    WHERE r.lease_id >= %s AND r.lease_id < %s
    GROUP BY r.lease_id
    HAVING MAX(r.month) >= %s AND {sum_balance_r} > 0
), previous AS (
    SELECT t.*, (SELECT MAX(p.month) FROM litigation_rentaccountline p
                 WHERE p.lease_id = t.lease_id AND p.month < t.month_1) AS month_2
    FROM totals t
), latest AS {materialized} (
    SELECT t.*,
           (SELECT {due_l} FROM litigation_rentaccountline l WHERE l.lease_id = t.lease_id AND l.month = t.month_1)
             AS due_1,
           (SELECT {balance_l} FROM litigation_rentaccountline l WHERE l.lease_id = t.lease_id AND l.month = t.month_1)
             AS balance_1,
           (SELECT {due_l} FROM litigation_rentaccountline l WHERE l.lease_id = t.lease_id AND l.month = t.month_2)
             AS due_2,
           (SELECT {balance_l} FROM litigation_rentaccountline l WHERE l.lease_id = t.lease_id AND l.month = t.month_2)
             AS balance_2
    FROM previous t
), debts AS (
    SELECT lease_id, n, month_1, due_1, due_2, debt_1,
           CASE WHEN debt_1 - balance_1 > 0 THEN debt_1 - balance_1 ELSE 0 END AS debt_2,
           CASE WHEN debt_1 - balance_1 - balance_2 > 0 THEN debt_1 - balance_1 - balance_2 ELSE 0 END AS debt_3
    FROM latest
), flagged AS (
    SELECT d.lease_id, lease.household_id, d.month_1, d.debt_1, d.debt_3,
           (due_1 > 0 AND debt_1 >= 2 * due_1 AND (n = 1 OR NOT (due_2 > 0 AND debt_2 >= 2 * due_2))) AS threshold,
           (n >= 3 AND debt_3 < debt_2 AND debt_2 < debt_1) AS growing
    FROM debts d JOIN households_lease lease ON lease.id = d.lease_id
    WHERE lease.id >= %s AND lease.id < %s
      AND NOT EXISTS (SELECT 1 FROM ({supported}) supported WHERE supported.household_id = lease.household_id)
)
SELECT f.lease_id, f.household_id, k.kind, f.month_1, f.debt_1, f.debt_3
FROM flagged f JOIN (SELECT 'threshold' AS kind UNION ALL SELECT 'growing') k
  ON (k.kind = 'threshold' AND f.threshold) OR (k.kind = 'growing' AND f.growing)
WHERE NOT EXISTS (SELECT 1 FROM litigation_earlywarning w
                  WHERE w.lease_id = f.lease_id AND w.kind = k.kind AND w.period_key = {period_key})
ORDER BY f.lease_id, k.kind
"""


@dataclass(frozen=True)
class WarningRow:
    """A lease the early-warning rules flag, not yet warned for this month and kind."""

    lease_id: int
    household_id: int
    kind: str  # EarlyWarning.Kind value: "threshold" or "growing"
    month: date  # the latest month of the rent account
    debt: Decimal  # the arrears at the end of that month
    debt_two_lines_before: Decimal | None


def _cents_to_eur(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(int(cents)).scaleb(-2)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def early_warning_rows(*, since: date, lease_from: int, lease_to: int, exclude_households,
                       using: str = "default") -> list[WarningRow]:
    """The new warnings of the leases whose id is in [lease_from, lease_to) and whose rent account
    reaches `since`: one statement, one pass over the range's lines. `exclude_households` is a
    queryset of `household_id` values (the households in support), put inside the statement."""
    from django.db import connections

    connection = connections[using]
    supported_sql, supported_params = exclude_households.query.get_compiler(using=using).as_sql()
    cents = _CENTS[connection.vendor]
    sql = EARLY_WARNING_SQL.format(
        sum_balance_r=_SUM_CENTS[connection.vendor].format(_BALANCE.format("r")), due_l=cents.format(_DUE.format("l")),
        balance_l=cents.format(_BALANCE.format("l")), supported=supported_sql,
        materialized=_MATERIALIZED[connection.vendor], period_key=_PERIOD_KEY[connection.vendor])
    with connection.cursor() as cursor:
        cursor.execute(sql, [lease_from, lease_to, since, lease_from, lease_to, *supported_params])
        return [WarningRow(lease_id, household_id, kind, _as_date(month), _cents_to_eur(debt),
                           _cents_to_eur(debt_before))
                for lease_id, household_id, kind, month, debt, debt_before in cursor.fetchall()]
