"""Every figure of the quarterly report, computed in SQL, for a quarter and since the programme began,
by track and by département.

The indicator set is a registry: `INDICATORS` is a list of `Indicator(key, section, label, unit, fn)`;
adding a figure means writing one function that returns rows of grouped aggregates and appending it.
Each function receives the scope and a `Period` and returns `[(row_key, row_label, Cells)]`; `Cells`
come from `grouped()`, which runs ONE `GROUP BY track, département[, category]` query, so the cost
of an indicator does not grow with the number of households loaded into Python (none are).

Every cell carries `n`, the number of distinct households behind it: the display layer (`display`)
hides cells about 1 to 4 households ("< 5").
"""

from __future__ import annotations

import contextlib
import contextvars
import operator
import statistics
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial, reduce

from django.conf import settings
from django.db import connections, router
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Territory
from copil.models import Decision, DecisionLever, Lever
from households.budget import ACCESS_CAP
from households.figures import housing_cost_sql
from households.models import (
    FrozenFigures,
    Household,
    HouseholdMember,
    HousingSituation,
    Lease,
    Referral,
    Resource,
    Sex,
    TargetPublic,
    Track,
)
from litigation.arrears import ArrearsCut, RentWindow, arrears_by_household_sql
from litigation.models import Stage
from support import aid_rules
from support.models import AidApplication, AidTransition, Appointment, Diagnosis, Intervention, SupportEpisode
from zel.lib.formats import format_eur, format_number, format_percent
from zel.lib.shared_snapshot import run_in_snapshot

from . import definitions as d
from . import quarters

SMALL = 5  # cells about fewer households than this are hidden
NOT_PUBLISHED = "< 5"


# ---------------------------------------------------------------------------------------------
# Scope, periods, cells
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    key: str  # "quarter" or "cumulative"
    start: date
    end: date


@dataclass
class Context:
    quarter: str
    territory_codes: list[str] | None  # None: the whole programme
    # The live dashboard (issue 16): any period instead of a quarter, and only the households the
    # manager sees (households.access.visible_households) so that every number opens its list.
    start: date | None = None
    end: date | None = None
    household_scope: QuerySet | None = None
    q_start: date = field(init=False)
    q_end: date = field(init=False)

    def __post_init__(self):
        if self.start is not None and self.end is not None:
            self.q_start, self.q_end = self.start, self.end
        else:
            self.q_start, self.q_end = quarters.bounds(self.quarter)

    @property
    def periods(self) -> list[Period]:
        return [Period("quarter", self.q_start, self.q_end), Period("cumulative", quarters.PROGRAMME_START, self.q_end)]

    def households(self) -> QuerySet[Household]:
        qs = Household.objects.all()
        if self.territory_codes is not None:
            qs = qs.filter(territory__code__in=self.territory_codes)
        if self.household_scope is not None:
            qs = qs.filter(pk__in=self.household_scope.values("pk"))
        return qs

    def scoped(self, qs: QuerySet, hh: str) -> QuerySet:
        if self.household_scope is not None:
            qs = qs.filter(**{f"{hh}__in": self.household_scope.values("pk")})
        if self.territory_codes is None:
            return qs
        return qs.filter(**{f"{hh}__territory__code__in": self.territory_codes})


def _jsonable(value):
    if isinstance(value, Decimal):
        # Money: the same text on PostgreSQL and SQLite (which drops trailing zeros).
        return str(value.quantize(Decimal("0.01")))
    if hasattr(value, "total_seconds"):  # durations: whole days
        return int(value.total_seconds() // 86400)
    return value


def _add(into: dict, row: dict) -> None:
    for key, value in row.items():
        if value is None:
            continue
        into[key] = into.get(key, 0) + value


#: Set by `collecting_ids()` (the dashboard's drill-down only): every cell then also carries "ids",
#: the households behind it, from one more SELECT per grouped query. Never set for frozen figures.
_COLLECT_IDS: contextvars.ContextVar[bool] = contextvars.ContextVar("zel_report_collect_ids", default=False)


@contextlib.contextmanager
def collecting_ids():
    token = _COLLECT_IDS.set(True)
    try:
        yield
    finally:
        _COLLECT_IDS.reset(token)


def _collect_ids(qs: QuerySet, pk: str, track: str, dep: str, category: str | None, result: dict) -> None:
    keys = [pk, track, dep] + ([category] if category else [])
    for row in qs.order_by().values_list(*keys).distinct():
        household, t, dp = row[0], row[1], row[2]
        cells = result.get(row[3] if category else None)
        if cells is None:
            continue
        for cell in (cells["all"], cells["track"].get(t), cells["dep"].get(dp)):
            if cell is not None:
                cell.setdefault("ids", set()).add(household)


def grouped(qs: QuerySet, hh: str = "", category: str | None = None, **measures) -> dict:
    """One GROUP BY track, département[, category] query -> {category: cells} (category None: the total).

    `hh` is the path from the queryset's model to Household ("" for Household itself). Counts of
    distinct households add up across (track, département) groups since a household has one of each."""
    if hh and not _COLLECT_IDS.get():
        per_household = _grouped_per_household(qs, hh, category, measures)
        if per_household is not None:
            return per_household
    prefix = f"{hh}__" if hh else ""
    track, dep = f"{prefix}track", f"{prefix}territory__code"
    keys = [track, dep] + ([category] if category else [])
    rows = (qs.order_by().values(*keys)
            .annotate(n=Count(f"{prefix}pk" if hh else "pk", distinct=True), **measures))
    if _COLLECT_IDS.get():
        result = _grouped_result(rows, track, dep, category, measures)
        _collect_ids(qs, f"{prefix}pk" if hh else "pk", track, dep, category, result)
        return result
    return _grouped_result(rows, track, dep, category, measures)


def grouped_with_total(qs: QuerySet, hh: str, category: str, **measures) -> tuple[dict, dict]:
    """`total(grouped(qs, hh, **measures))` and `grouped(qs, hh, category, **measures)` from one
    statement (one pass over the rows) where `_grouped_per_household` applies."""
    if not _COLLECT_IDS.get():
        both = _grouped_per_household(qs, hh, category, measures, with_total=True)
        if both is not None:
            return both
    return total(grouped(qs, hh, **measures)), grouped(qs, hh, category, **measures)


def grouped_counts_by(qs: QuerySet, hh: str, category: str, values: list[str]) -> tuple[dict, dict]:
    """`grouped_with_total(qs, hh, category, v=Count("pk"))` for a category with known `values`: the
    rows are counted per household with one column per value (one row per household, where the
    per-category rows were 1,4 M for 1 M households' visits), so the total's households need no
    sort and every category comes from the same GROUP BY track, département."""
    return grouped_counts_by_windows(qs, hh, category, values, [None])[0]


def grouped_counts_by_windows(qs: QuerySet, hh: str, category: str, values: list[str],
                              windows: list[Q | None], *, summed: str = "") -> list[tuple]:
    """`grouped_counts_by(qs.filter(window), …)` for each of `windows` (None: every row) from one
    pass over `qs`: the periods of a figure read its big table once. With `summed` (a numeric
    field), each window's tuple has a third item: `total(grouped(qs.filter(window), hh,
    v=Coalesce(Sum(summed), 0)))` from the same pass."""
    if _COLLECT_IDS.get():
        return [_window_alone(qs.filter(w) if w is not None else qs, hh, category, summed) for w in windows]
    per_value, totals = {}, {}
    for k, window in enumerate(windows):
        per_value[f"w{k}"] = Count("pk", filter=window) if window is not None else Count("pk")
        per_value |= {f"w{k}v{index}": Count("pk", filter=(window & Q(**{category: value})) if window is not None
                                             else Q(**{category: value})) for index, value in enumerate(values)}
        if summed:
            totals[f"s{k}"] = Sum(summed, filter=window) if window is not None else Sum(summed)
    inner = qs.order_by().values(hh).annotate(**per_value, **totals)
    sql, params = _compiled(inner)
    household, territory = Household._meta.db_table, Territory._meta.db_table
    sums = ", ".join([f"SUM(CASE WHEN {name} > 0 THEN 1 ELSE 0 END), SUM({name})" for name in per_value]
                     + [f"COALESCE(SUM({name}), 0)" for name in totals])
    statement = (f"WITH x(hid, {', '.join([*per_value, *totals])}) AS {_materialized(inner.db)}({sql}) "
                 f"SELECT h.track, t.code, {sums} FROM x JOIN {household} h ON h.id = x.hid "
                 f"LEFT JOIN {territory} t ON t.id = h.territory_id GROUP BY h.track, t.code")
    with connections[inner.db].cursor() as cursor:
        cursor.execute(statement, params)
        fetched = cursor.fetchall()
    width = 2 * (len(values) + 1)
    out = []
    for k in range(len(windows)):
        everything, by_value, summed_rows = [], [], []
        for track, dep, *counts in fetched:
            n, v, *split = counts[k * width:(k + 1) * width]
            if n:  # as a GROUP BY: no row of this window in the group, no cell
                everything.append({"track": track, "dep": dep, "n": int(n), "v": int(v)})
                if summed:
                    summed_rows.append({"track": track, "dep": dep, "n": int(n),
                                        "v": int(counts[len(windows) * width + k])})
            for index, value in enumerate(values):
                households, count = split[2 * index], split[2 * index + 1]
                if households:
                    by_value.append({"track": track, "dep": dep, "cat": value, "n": int(households), "v": int(count)})
        cells = (total(_grouped_result(everything, "track", "dep", None, {"v": None})),
                 _grouped_result(by_value, "track", "dep", "cat", {"v": None}))
        if summed:
            cells += (total(_grouped_result(summed_rows, "track", "dep", None, {"v": None})),)
        out.append(cells)
    return out


def _window_alone(qs: QuerySet, hh: str, category: str, summed: str) -> tuple:
    """One window of `grouped_counts_by_windows` on its own (the dashboard's drill-down keeps the
    households behind each cell, which the joint pass does not)."""
    counted = grouped_with_total(qs, hh, category, v=Count("pk"))
    return counted + ((total(grouped(qs, hh, v=Coalesce(Sum(summed), 0))),) if summed else ())


def _grouped_per_household(qs: QuerySet, hh: str, category: str | None, measures: dict, *, with_total: bool = False):
    """`grouped()` for rows about households (visits, referrals…): the rows are first added up per
    household (and category) on their own table, then the households' track and département joined to
    those sums. Counting distinct households over the joined rows sorted every row of the table
    (4 M visits at 10⁶ households): 6,1 s against 3,4 s. None when a measure does not add up this way
    (durations: SQLite's raw sums are not intervals). `with_total`: (total cells, by category)."""
    keys = [hh] + ([category] if category else [])
    # Without a measure, values() alone would not group: one row per household (and category) still.
    inner = qs.order_by().values(*keys).annotate(**measures) if measures else qs.order_by().values(*keys).distinct()
    kinds = {name: inner.query.annotations[name].output_field for name in measures}
    if not all(isinstance(kind, (IntegerField, DecimalField)) for kind in kinds.values()):
        return None
    sql, params = _compiled(inner)
    fetched = _per_household_rows(inner.db, sql, params, ["hid", *(["cat"] if category else []), *measures],
                                  category is not None, with_total)
    rows: dict[int, list] = {0: [], 1: []}
    for marker, *row in fetched:
        values = dict(zip(["track", "dep", "cat", "n", *measures], row, strict=True))
        for name, kind in kinds.items():
            if values[name] is not None:
                values[name] = _money(values[name]) if isinstance(kind, DecimalField) else int(values[name])
        rows[marker].append(values)
    by_category = _grouped_result(rows[1], "track", "dep", "cat" if category else None, measures)
    if with_total:
        return total(_grouped_result(rows[0], "track", "dep", None, measures)), by_category
    return by_category


def _per_household_rows(alias: str, sql: str, params, names: list[str], has_category: bool, with_total: bool):
    """(1, track, dep, category or NULL, households, sums…) per group; with_total, also the rows
    (0, track, dep, NULL, households, sums…) of the totals without the category."""
    measures = names[2:] if has_category else names[1:]
    sums = "".join(f", SUM({name})" for name in measures)
    cat = "cat" if has_category else "NULL"
    materialized = _materialized(alias)
    household, territory = Household._meta.db_table, Territory._meta.db_table
    statement = (f"WITH x({', '.join(names)}) AS {materialized}({sql}), y AS {materialized}("
                 f"SELECT h.track AS track, t.code AS dep, x.* FROM x JOIN {household} h ON h.id = x.hid "
                 f"LEFT JOIN {territory} t ON t.id = h.territory_id) "
                 f"SELECT 1, track, dep, {cat}, COUNT(*){sums} FROM y "
                 f"GROUP BY track, dep{', cat' if has_category else ''}")
    if with_total:
        statement += f" UNION ALL SELECT 0, track, dep, NULL, COUNT(DISTINCT hid){sums} FROM y GROUP BY track, dep"
    with connections[alias].cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _grouped_result(rows, track: str, dep: str, category: str | None, measures: dict) -> dict:
    result: dict = {}
    for row in rows:
        values = {name: row[name] for name in ["n", *measures]}
        values = {k: (v.total_seconds() / 86400 if hasattr(v, "total_seconds") else v) for k, v in values.items()}
        cells = result.setdefault(row[category] if category else None, {"all": {}, "track": {}, "dep": {}})
        _add(cells["all"], values)
        _add(cells["track"].setdefault(row[track], {}), values)
        _add(cells["dep"].setdefault(row[dep], {}), values)
    return {cat: _freeze(cells) for cat, cells in result.items()}


def _each_cell(cells: dict, fn: Callable[[dict], dict]) -> dict:
    """`fn` applied to every cell of {"all", "track", "dep"}."""
    return {"all": fn(cells["all"]), "track": {k: fn(v) for k, v in cells["track"].items()},
            "dep": {k: fn(v) for k, v in cells["dep"].items()}}


def _freeze(cells: dict) -> dict:
    return _each_cell(cells, lambda agg: {k: (v if k == "ids" else _jsonable(v)) for k, v in agg.items()})


EMPTY = {"all": {"n": 0}, "track": {}, "dep": {}}


def _materialized(alias: str) -> str:
    """A CTE used once is inlined by PostgreSQL, which then computes its column's expression in each
    place the outer query names it: MATERIALIZED computes it once per row."""
    return "MATERIALIZED " if connections[alias].vendor == "postgresql" else ""


def _compiled(qs: QuerySet) -> tuple[str, tuple]:
    """A queryset's SQL on the connection it reads from (the replica inside reading_from_replica)."""
    return qs.order_by().query.get_compiler(using=qs.db).as_sql()


def _money(value):
    # Raw cursors skip the ORM's converters: SQLite hands sums of decimals back as floats or ints.
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def _facts_head(inner: QuerySet, facts: dict, arrears: dict[str, ArrearsCut] | None,
                joined: QuerySet | None = None, windows: dict[str, RentWindow] | None = None) -> tuple[str, tuple]:
    """The CTE `f(track, dep, hid, facts…)` of `grouped_facts`; with `arrears`, also each household's
    arrears at each cut (0 without a rent line) and `lines`, its number of rent lines, joined in one
    set-based pass over the rent lines (litigation.arrears) rather than probed household by household.
    `joined`: a queryset grouped by household (its first column), whose other columns are joined (NULL
    for a household it has no row for): one grouped pass instead of a subquery per household. `windows`
    (with `arrears`): each window's lines and balance in the same pass (0 lines, NULL balance without one)."""
    sql, params = _compiled(inner)
    columns = ", ".join(["track", "dep", "hid", *facts])
    materialized = _materialized(inner.db)
    if not arrears and joined is None:
        return f"WITH f({columns}) AS {materialized}({sql}) ", params
    ctes, base = [f"p({columns}) AS {materialized}({sql})"], "p"
    if joined is not None:
        joined_sql, joined_params = _compiled(joined)
        names = list(joined.query.annotation_select)
        joined_columns = ", ".join(f"j.{name}" for name in names)
        base = "pj" if arrears else "f"
        ctes += [f"j(hid, {', '.join(names)}) AS {materialized}({joined_sql})",
                 f"{base} AS {materialized}(SELECT p.*, {joined_columns} FROM p LEFT JOIN j ON j.hid = p.hid)"]
        params = (*params, *joined_params)
    if arrears:
        # The cuts may name joined columns: the arrears are read over the joined rows.
        with_arrears = ", ".join([f"COALESCE(a.{name}, 0) AS {name}" for name in arrears]
                                 + [f"COALESCE(a.{name}_lines, 0) AS {name}_lines, a.{name}_balance AS {name}_balance"
                                    for name in windows or {}])
        ctes += [f"a AS {materialized}({arrears_by_household_sql(base, arrears, windows)})",
                 f"f AS {materialized}(SELECT {base}.*, {with_arrears}, COALESCE(a.lines, 0) AS lines "
                 f"FROM {base} LEFT JOIN a ON a.hid = {base}.hid)"]
    return "WITH " + ", ".join(ctes) + " ", params


def grouped_facts(qs: QuerySet, hh: str, facts: dict, results: dict[str, tuple[str | None, str | None]],
                  arrears: dict[str, ArrearsCut] | None = None, joined: QuerySet | None = None,
                  windows: dict[str, RentWindow] | None = None) -> dict:
    """Several `grouped()` totals over one pass of `qs`: its `facts` (expressions per row) are computed
    once per row in a CTE, and each result aggregates that CTE. `arrears` adds columns: each
    household's arrears at a date that is one of the facts (and `lines`, and each of `windows`' lines
    and balance, see `_facts_head`); `joined`, the columns of a queryset grouped by household.

    `results`: name -> (condition on the facts' columns or None, SQL aggregate for "v" or None); each
    comes back as `total(grouped(qs.filter(condition), hh, v=aggregate))` would (no rows: EMPTY)."""
    prefix = f"{hh}__" if hh else ""
    inner = qs.annotate(**facts).values_list(f"{prefix}track", f"{prefix}territory__code", f"{prefix}pk", *facts)
    # A queryset of households (filtered by EXISTS, never by a join) has each household once: COUNT(*)
    # then counts households without sorting them (a sort to disk per result at 10⁶).
    households = "COUNT(*)" if not hh else "COUNT(DISTINCT hid)"
    selects = []
    for name, (condition, aggregate) in results.items():
        measure = aggregate or "CAST(NULL AS NUMERIC)"  # typed: UNION ALL branches must agree
        where = f" WHERE {condition}" if condition else ""
        selects.append(f"SELECT '{name}', track, dep, {households}, {measure} FROM f{where} GROUP BY track, dep")
    head, params = _facts_head(inner, facts, arrears, joined, windows)
    rows: dict[str, list] = {name: [] for name in results}
    with connections[inner.db].cursor() as cursor:
        cursor.execute(head + " UNION ALL ".join(selects), params)
        for name, track, dep, n, v in cursor.fetchall():
            rows[name].append({"track": track, "dep": dep, "n": n, **({"v": _money(v)} if results[name][1] else {})})
        ids = _facts_ids(cursor, head, params, results) if _COLLECT_IDS.get() else {}
    out = {}
    for name, (_condition, aggregate) in results.items():
        result = _grouped_result(rows[name], "track", "dep", None, {"v": None} if aggregate else {})
        for track, dep, household in ids.get(name, ()):
            cells = result[None]
            for cell in (cells["all"], cells["track"].get(track), cells["dep"].get(dep)):
                if cell is not None:
                    cell.setdefault("ids", set()).add(household)
        out[name] = total(result)
    return out


def _facts_ids(cursor, head: str, params, results: dict) -> dict[str, list]:
    """The dashboard's drill-down (collecting_ids): the households behind each result."""
    selects = [f"SELECT DISTINCT '{name}', track, dep, hid FROM f" + (f" WHERE {condition}" if condition else "")
               for name, (condition, _aggregate) in results.items()]
    cursor.execute(head + " UNION ALL ".join(selects), params)
    ids: dict[str, list] = {}
    for name, track, dep, household in cursor.fetchall():
        ids.setdefault(name, []).append((track, dep, household))
    return ids


def total(result: dict) -> dict:
    return result.get(None, EMPTY)


def ratio(num: dict, den: dict) -> dict:
    """Combine two households counts into ratio cells: n (the denominator) and num."""
    def cell(a, b):
        out = {"n": b.get("n", 0), "num": a.get("n", 0)}
        if "ids" in b:
            out["ids"] = b["ids"]
        return out
    return {"all": cell(num["all"], den["all"]),
            "track": {k: cell(num["track"].get(k, {}), v) for k, v in den["track"].items()},
            "dep": {k: cell(num["dep"].get(k, {}), v) for k, v in den["dep"].items()}}


def categories(result: dict, choices, *, keep_empty: bool = True) -> list[tuple[str, str, dict]]:
    rows = []
    for code, label in choices:
        if code in result or keep_empty:
            rows.append((str(code), str(label), result.get(code, EMPTY)))
    return rows


# ---------------------------------------------------------------------------------------------
# Indicator functions: (ctx, period) -> [(row_key, label, cells)] or None when the column does not
# apply (e.g. a snapshot has no "since the start" value).
# ---------------------------------------------------------------------------------------------

def referrals(ctx: Context, p: Period):
    qs = ctx.scoped(Referral.objects.filter(referred_on__gte=p.start, referred_on__lte=p.end), "household")
    everything, by_partner = grouped_with_total(qs, "household", "partner_id", v=Count("pk"))
    names = dict(Organisation.objects.filter(pk__in=[k for k in by_partner if k]).values_list("pk", "name"))
    rows = [("total", _("Orientations reçues"), everything)]
    for pk, cells in sorted(by_partner.items(), key=lambda kv: names.get(kv[0], "")):
        rows.append((f"partner-{pk}", _("dont %(partner)s") % {"partner": names.get(pk, "?")}, cells))
    return rows


def diagnoses(ctx: Context, p: Period):
    qs = ctx.scoped(Diagnosis.objects.filter(done_on__gte=p.start, done_on__lte=p.end), "household")
    kinds = [code for code, _label in Diagnosis.Kind.choices]
    everything, by_kind = grouped_counts_by(qs, "household", "kind", kinds)
    return [("total", _("Diagnostics réalisés"), everything)] + [
        (key, _("dont %(kind)s") % {"kind": label.lower()}, cells)
        for key, label, cells in categories(by_kind, Diagnosis.Kind.choices)]


def _effective_decisions(ctx: Context, p: Period) -> QuerySet:
    # A corrected decision is replaced by its correction: count only the last word on a dossier.
    qs = Decision.objects.filter(corrected_by__isnull=True, item__session__held_on__gte=p.start,
                                 item__session__held_on__lte=p.end)
    return ctx.scoped(qs, "item__household")


def decisions(ctx: Context, p: Period):
    qs = _effective_decisions(ctx, p)
    everything, by_outcome = grouped_with_total(qs, "item__household", "outcome", v=Count("pk"))
    return [("total", _("Décisions du COPIL"), everything)] + [
        (key, label, cells) for key, label, cells in categories(by_outcome, Decision.Outcome.choices)]


def levers_count(ctx: Context, p: Period):
    qs = DecisionLever.objects.filter(decision__in=_effective_decisions(ctx, p))
    everything, by_kind = grouped_with_total(qs, "decision__item__household", "kind", v=Count("pk"))
    return [("total", _("Leviers activés"), everything)] + [
        (key, label, cells) for key, label, cells in categories(by_kind, Lever.choices, keep_empty=False)]


AMOUNT_KINDS = [kind for kind in aid_rules.KINDS if aid_rules.has_amount(kind)]


def levers_amount(ctx: Context, p: Period):
    # Only the levers that have an amount: maintaining the APL or the ASLL never add "0,00 €".
    qs = DecisionLever.objects.filter(decision__in=_effective_decisions(ctx, p), kind__in=AMOUNT_KINDS,
                                      amount__isnull=False)
    everything, by_kind = grouped_with_total(qs, "decision__item__household", "kind", v=Sum("amount"))
    return [("total", _("Montant des leviers"), everything)] + [
        (key, label, cells) for key, label, cells in categories(by_kind, Lever.choices, keep_empty=False)]


# Aid applications after the COPIL (issue 14): requested (lodged with the examining body), granted
# (decided in favour), paid — three different figures, by kind, in counts and in amounts.
def _aid_stage(ctx: Context, p: Period, stage: str) -> QuerySet:
    qs = AidApplication.objects.all()
    if stage == "requested":
        qs = qs.filter(lodged_on__gte=p.start, lodged_on__lte=p.end)
    elif stage == "granted":
        granted = AidTransition.objects.filter(application=OuterRef("pk"), to_status=aid_rules.Status.GRANTED)
        qs = qs.filter(Exists(granted), decided_on__gte=p.start, decided_on__lte=p.end)
    else:
        qs = qs.filter(paid_on__gte=p.start, paid_on__lte=p.end, amount_paid__isnull=False)
    return ctx.scoped(qs, "household")


AID_STAGES = {"requested": ("amount_requested", gettext_lazy("Demandes déposées")),
              "granted": ("amount_granted", gettext_lazy("Demandes accordées")),
              "paid": ("amount_paid", gettext_lazy("Aides versées"))}


def _aid_counts(stage: str):
    def fn(ctx: Context, p: Period):
        qs = _aid_stage(ctx, p, stage)
        everything, by_kind = grouped_with_total(qs, "household", "kind", v=Count("pk"))
        return [("total", AID_STAGES[stage][1], everything)] + [
            (key, label, cells) for key, label, cells in categories(by_kind, aid_rules.AidKind.choices,
                                                                    keep_empty=False)]
    return fn


def _aid_amounts(stage: str):
    field_name = AID_STAGES[stage][0]

    def fn(ctx: Context, p: Period):
        qs = _aid_stage(ctx, p, stage).filter(kind__in=AMOUNT_KINDS, **{f"{field_name}__isnull": False})
        everything, by_kind = grouped_with_total(qs, "household", "kind", v=Sum(field_name))
        return [("total", _("Total"), everything)] + [
            (key, label, cells) for key, label, cells in categories(by_kind, aid_rules.AidKind.choices,
                                                                    keep_empty=False)]
    return fn


def entries(ctx: Context, p: Period):
    qs = ctx.households().filter(d.entered_q(p.start, p.end))
    return [("total", _("Ménages entrés"), total(grouped(qs)))]


def active(ctx: Context, p: Period):
    if p.key == "cumulative":
        qs = ctx.households().filter(d.entered_q(p.start, p.end))
        return [("total", _("Ménages accompagnés depuis le début"), total(grouped(qs)))]
    qs = ctx.households().filter(d.active_q(p.end))
    return [("total", _("Ménages accompagnés en fin de trimestre"), total(grouped(qs)))]


def _exits(ctx: Context, p: Period) -> QuerySet:
    qs = SupportEpisode.objects.filter(closed_on__gte=p.start, closed_on__lte=p.end)
    return ctx.scoped(qs, "household")


def exits(ctx: Context, p: Period):
    qs = _exits(ctx, p)
    everything, by_reason = grouped_with_total(qs, "household", "exit_reason")
    return [("total", _("Ménages sortis"), everything)] + [
        (key, label, cells) for key, label, cells in categories(by_reason, SupportEpisode.ExitReason.choices)]


def support_length(ctx: Context, p: Period):
    length = ExpressionWrapper(F("closed_on") - F("opened_on"), output_field=DurationField())
    qs = _exits(ctx, p)
    return [("total", _("Durée moyenne d'accompagnement des sortants (jours)"),
             total(grouped(qs, "household", sum=Sum(length), count=Count("pk"))))]


def _done_interventions(ctx: Context, *periods: Period) -> QuerySet:
    """The visits done in the span of `periods`, in the report's scope."""
    qs = Intervention.objects.done().filter(occurred_on__gte=min(p.start for p in periods),
                                            occurred_on__lte=max(p.end for p in periods))
    return ctx.scoped(qs, "household")


def interventions(ctx: Context, p: Period):
    return interventions_periods(ctx, [p])[0]


def interventions_periods(ctx: Context, periods: list[Period]) -> list[list]:
    """The interventions by mode of every period from one pass over the visits (8 s a period at 10⁶)."""
    return [figures["interventions"] for figures in _visits_periods(ctx, periods)]


def _visits_periods(ctx: Context, periods: list[Period]) -> list[dict[str, list]]:
    """The interventions by mode and the hours of every period ({indicator key: rows} each) from one
    pass over the visits: each of the two read every visit of each period (5 and 2,5 s a period at 10⁶)."""
    windows: list[Q | None] = [Q(occurred_on__gte=p.start, occurred_on__lte=p.end) for p in periods]
    modes = [code for code, _label in Intervention.Mode.choices]
    counted = grouped_counts_by_windows(_done_interventions(ctx, *periods), "household", "mode", modes, windows,
                                        summed="duration_minutes")
    out = []
    for p, (everything, by_mode, minutes) in zip(periods, counted, strict=True):
        no_show = ctx.scoped(Intervention.objects.filter(occurred_on__gte=p.start, occurred_on__lte=p.end,
                                                         planned=False, no_show=True), "household")
        out.append({"interventions": [("total", _("Interventions réalisées"), everything)] + [
            (key, _("dont %(mode)s") % {"mode": label.lower()}, cells)
            for key, label, cells in categories(by_mode, Intervention.Mode.choices)] + [
            ("no_show", _("Rendez-vous manqués (absence du ménage)"),
             total(grouped(no_show, "household", v=Count("pk"))))],
            "hours": _hours_rows(minutes)})
    return out


def _appointment_ratio(num: dict, den: dict) -> dict:
    """Share of appointments (not households): n is the number of appointments behind the rate."""
    def cell(a, b):
        return {"n": b.get("v", 0), "num": a.get("v", 0)}
    return {"all": cell(num["all"], den["all"]),
            "track": {k: cell(num["track"].get(k, {}), v) for k, v in den["track"].items()},
            "dep": {k: cell(num["dep"].get(k, {}), v) for k, v in den["dep"].items()}}


def appointments(ctx: Context, p: Period):
    """Appointments of the period with an outcome (issue 15): honoured, no-show and cancelled rates."""
    outcomes = [Appointment.Status.HONOURED, Appointment.Status.EXCUSED, Appointment.Status.NO_SHOW,
                Appointment.Status.CANCELLED]
    qs = ctx.scoped(Appointment.objects.filter(starts_at__date__gte=p.start, starts_at__date__lte=p.end,
                                               status__in=outcomes), "household")
    all_ = total(grouped(qs, "household", v=Count("pk")))
    by_status = grouped(qs, "household", "status", v=Count("pk"))
    return [("total", _("Rendez-vous passés (honorés, excusés, non venus, annulés)"), all_)] + [
        (code, label, _appointment_ratio(by_status.get(code, EMPTY), all_)) for code, label in (
            ("honoured", _("Part des rendez-vous honorés")), ("no_show", _("Part des rendez-vous non venus")),
            ("cancelled", _("Part des rendez-vous annulés")))]


def hours(ctx: Context, p: Period):
    qs = _done_interventions(ctx, p)
    return _hours_rows(total(grouped(qs, "household", v=Coalesce(Sum("duration_minutes"), 0))))


def _hours_rows(minutes: dict) -> list:
    return [("total", _("Heures d'intervention"), minutes)]


def _profile_population_q(p: Period) -> Q:
    return d.entered_q(p.start, p.end) if p.key == "cumulative" else d.active_q(p.end)


def _profile_population(ctx: Context, p: Period) -> QuerySet[Household]:
    return ctx.households().filter(_profile_population_q(p))


def _in_any(ctx: Context, populations: list[Q]) -> tuple[QuerySet[Household], list[str]]:
    """The households of any of several periods' populations, and for each period the SQL condition
    on `grouped_facts`' row that keeps its own (a fact `in{k}`; TRUE for a single period)."""
    if len(populations) == 1:
        return ctx.households().filter(populations[0]), ["TRUE"]
    return ctx.households().filter(reduce(operator.or_, populations)), [f"in{k}" for k in range(len(populations))]


def _membership(populations: list[Q]) -> dict:
    return {f"in{k}": _flag(q) for k, q in enumerate(populations)} if len(populations) > 1 else {}


COMPOSITION = [("single", "Personne seule"), ("couple", "Couple sans enfant"),
               ("single_parent", "Famille monoparentale"), ("couple_children", "Couple avec enfant(s)"),
               ("other", "Autre composition")]


def _members_by_household() -> QuerySet:
    relation = HouseholdMember.Relation
    return (HouseholdMember.objects.order_by().values("household")
            .annotate(spouses=Count("pk", filter=Q(relation=relation.SPOUSE)),
                      children=Count("pk", filter=Q(relation=relation.CHILD)),
                      others=Count("pk", filter=~Q(relation__in=[relation.SPOUSE, relation.CHILD])),
                      members=Count("pk")))


#: The composition of a household from its members counted by relation (`_members_by_household`;
#: NULL: no member besides the reference person). Another relative makes any household "other".
COMPOSITION_SQL = ("CASE WHEN others > 0 THEN 'other' WHEN spouses > 0 AND children > 0 THEN 'couple_children' "
                   "WHEN spouses > 0 THEN 'couple' WHEN children > 0 THEN 'single_parent' ELSE 'single' END")


def composition(ctx: Context, p: Period):
    return composition_periods(ctx, [p])[0]


def composition_periods(ctx: Context, periods: list[Period]) -> list[list]:
    """The members counted by relation in one grouped pass, joined to the population (four subqueries
    per household before: 5 s a column at 10⁶); the size is the members plus the reference person.
    Every period from that one pass, each keeping its households (as the debt)."""
    populations = [_profile_population_q(p) for p in periods]
    population, members = _in_any(ctx, populations)
    results = {}
    for k, member in enumerate(members):
        results |= {f"{key}{k}": (f"{member} AND {COMPOSITION_SQL} = '{key}'", None) for key, _text in COMPOSITION}
        results[f"total{k}"] = (member, "SUM(COALESCE(members, 0) + 1)")
    cells = grouped_facts(population, "", _membership(populations), results, joined=_members_by_household())
    out = []
    for k, p in enumerate(periods):
        label = (_("Ménages accompagnés en fin de trimestre") if p.key == "quarter"
                 else _("Ménages entrés depuis le début"))
        out.append([("total", label, _persons(cells[f"total{k}"]))]
                   + [(key, _(text), cells[f"{key}{k}"]) for key, text in COMPOSITION])
    return out


def _persons(cells: dict) -> dict:
    """The total's sum of sizes is the number of persons: "persons", a whole number, in the figures."""
    def cell(values: dict) -> dict:
        out = {k: v for k, v in values.items() if k != "v"}
        if "v" in values:
            out["persons"] = int(Decimal(values["v"]))
        return out
    return _each_cell(cells, cell)


def resources(ctx: Context, p: Period):
    population = _profile_population(ctx, p)
    qs = Resource.objects.filter(household__in=population, monthly_amount__gt=0)
    # The total and the split by kind from one pass; the households' rows by kind keep no sum.
    everything, by_kind = grouped_with_total(qs, "household", "kind", sum=Sum("monthly_amount"))
    by_kind = {kind: _each_cell(cells, _without_sum) for kind, cells in by_kind.items()}
    return [("total", _("Ressources mensuelles moyennes par ménage"), everything)] + [
        (key, _("Ménages percevant : %(kind)s") % {"kind": label}, cells)
        for key, label, cells in categories(by_kind, Resource.Kind.choices)]


def _without_sum(cell: dict) -> dict:
    return {key: value for key, value in cell.items() if key != "sum"}


def up_to_date(ctx: Context, p: Period):
    return _rent_periods(ctx, [p])[0]["up_to_date"]


def evictions(ctx: Context, p: Period):
    avoided = ctx.households().filter(d.eviction_avoided_q(p.start, p.end))
    supported = SupportEpisode.objects.filter(household=OuterRef("pk"))
    evicted = ctx.households().filter(Exists(supported)).filter(d.evicted_q(p.start, p.end))
    return [("avoided", _("Expulsions évitées"), total(grouped(avoided))),
            ("carried_out", _("Expulsions réalisées (ménages accompagnés)"), total(grouped(evicted)))]


def debt(ctx: Context, p: Period):
    return _rent_periods(ctx, [p])[0]["debt"]


def debt_periods(ctx: Context, periods: list[Period]) -> list[list]:
    return [figures["debt"] for figures in _rent_periods(ctx, periods)]


def _rent_periods(ctx: Context, periods: list[Period]) -> list[dict[str, list | None]]:
    """Rent debt at entry (frozen at the COPIL admission; for older entries, the end of the month before
    the support opened) against debt at quarter end, for the households supported at quarter end
    (cumulative: every household that entered); and the share of the households supported at quarter
    end up to date with the quarter's rent (no column since the start).

    Every period of both, {indicator key: rows} each, from one pass over the households and their rent
    lines (12 s a period at 10⁶ for the debt, 6 s a quarter for the share): the arrears at each period's
    two cuts and the lines of each quarter are columns of the same grouped pass, and each period
    keeps its households. Only the plans are looked up per household."""
    ends = sorted({p.end for p in periods})
    facts: dict = {}
    arrears: dict[str, ArrearsCut] = {}
    for e, end in enumerate(ends):
        # Entry: the end of the month before the latest support opened by the end of the period. (A grouped
        # pass over the episodes, joined, was slower: the planner then expects billions of rows and sorts
        # every rent line, 14 s against 9 s at 10⁶.)
        episode = (SupportEpisode.objects.filter(household=OuterRef("pk"), opened_on__lte=end)
                   .order_by("-opened_on").annotate(m=TruncMonth("opened_on")).values("m")[:1])
        frozen_debt, _has_frozen = _entry_figures("rent_debt", "pk", end)
        facts |= {f"entry_month{e}": Subquery(episode), f"frozen_debt{e}": frozen_debt,
                  f"end_day{e}": Value(end, DateField())}
        arrears |= {f"entry_arrears{e}": ArrearsCut(f"entry_month{e}", before=True),
                    f"now_debt{e}": ArrearsCut(f"end_day{e}")}
    populations = [_profile_population_q(p) for p in periods]
    population, members = _in_any(ctx, populations)
    results: dict[str, tuple[str | None, str | None]] = {}
    windows: dict[str, RentWindow] = {}
    for k, p in enumerate(periods):
        e, member = ends.index(p.end), f"{members[k]} AND lines > 0"
        # Frozen at entry when known; before figures were frozen, the arrears before the entry month.
        # Only households with a rent account count.
        results |= {f"entry{k}": (member, f"SUM(COALESCE(frozen_debt{e}, entry_arrears{e}))"),
                    f"now{k}": (member, f"SUM(now_debt{e})"), f"in_debt{k}": (f"{member} AND now_debt{e} > 0", None)}
        if p.key != "cumulative":
            facts |= {f"q_start{k}": Value(p.start, DateField()), f"q_end{k}": Value(p.end, DateField()),
                      f"missed{k}": _flag(d.missed_installment_q(p.start, p.end))}
            windows[f"quarter{k}"] = RentWindow(f"q_start{k}", f"q_end{k}")
            known = f"{members[k]} AND {d.rent_known_sql(f'quarter{k}')}"
            results |= {f"known{k}": (known, None),
                        f"ok{k}": (f"{known} AND {d.rent_paid_sql(f'quarter{k}', f'missed{k}')}", None),
                        f"unknown{k}": (f"{members[k]} AND NOT {d.rent_known_sql(f'quarter{k}')}", None)}
    cells = grouped_facts(population, "", facts | _membership(populations), results, arrears=arrears, windows=windows)
    return [{"debt": [("entry", _("Dette locative à l'entrée (total)"), cells[f"entry{k}"]),
                      ("now", _("Dette locative en fin de trimestre (total)"), cells[f"now{k}"]),
                      ("in_debt", _("Ménages encore en dette en fin de trimestre"), cells[f"in_debt{k}"])],
             "up_to_date": None if p.key == "cumulative" else [
                 ("share", _("Part des ménages accompagnés à jour de leur loyer"),
                  ratio(cells[f"ok{k}"], cells[f"known{k}"])),
                 ("unknown", _("Ménages accompagnés sans compte locataire connu"), cells[f"unknown{k}"])]}
            for k, p in enumerate(periods)]


def _entry_lease(field_name: str):
    # The dwelling at entry: the earliest lease not ended before the support opened.
    leases = Lease.objects.filter(household=OuterRef("household")).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("opened_on"))).order_by("signed_on", "pk")
    return Subquery(leases.values(field_name)[:1])


def _access_entries(ctx: Context, p: Period) -> QuerySet:
    qs = SupportEpisode.objects.filter(opened_on__gte=p.start, opened_on__lte=p.end, household__track=Track.ACCESS)
    return ctx.scoped(qs, "household")


def _entry_figures(field_name: str, household_ref: str, on_ref):
    """A field of the household's entry figures (frozen at the COPIL admission) taken on or before
    `on_ref`: never recomputed from today's resources (docs/domain.md)."""
    frozen = (FrozenFigures.objects.filter(household=OuterRef(household_ref), moment=FrozenFigures.Moment.ENTRY,
                                           taken_on__lte=on_ref).order_by("-taken_on", "-pk"))
    return Subquery(frozen.values(field_name)[:1]), Exists(frozen)


def access_effort(ctx: Context, p: Period):
    """Effort rate at entry: the frozen entry figures; households entered before figures were frozen
    fall back to the dwelling and resources on file, with the same rule (households.figures)."""
    frozen_rate, has_frozen = _entry_figures("effort_rate", "household", OuterRef("opened_on"))
    resources_total = Subquery(Resource.objects.filter(household=OuterRef("household")).order_by()
                               .values("household").annotate(s=Sum("monthly_amount")).values("s")[:1],
                               output_field=d.MONEY_FIELD)
    cost = Subquery(Lease.objects.filter(household=OuterRef("household")).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("opened_on"))).order_by("signed_on", "pk")
        .annotate(cost=housing_cost_sql()).values("cost")[:1], output_field=d.MONEY_FIELD)
    # The four figures once per entry (a materialised row), for both counts: each count computed them
    # again, and a condition written in the ORM would repeat each subquery wherever it names it.
    facts = {"frozen": has_frozen, "rate": frozen_rate, "res": resources_total, "cost": cost}
    known = "((frozen AND rate IS NOT NULL) OR (NOT frozen AND res > 0 AND cost IS NOT NULL))"
    cap = Decimal(ACCESS_CAP)
    capped = f"{known} AND ((frozen AND rate <= {cap}) OR (NOT frozen AND cost <= res * {cap}))"
    cells = grouped_facts(_access_entries(ctx, p), "household", facts,
                          {"known": (known, None), "capped": (capped, None)})
    return [("share", _("Entrées en accès avec un taux d'effort ≤ 25 %"), ratio(cells["capped"], cells["known"]))]


def access_dwellings(ctx: Context, p: Period):
    # The entry dwelling's two fields once per entry, for every row (five statements before).
    facts = {"typology": _entry_lease("typology"), "financing": _entry_lease("financing")}
    results = {"with_lease": ("typology IS NOT NULL", None),
               "plai": (f"typology IS NOT NULL AND financing = '{Lease.Financing.PLAI}'", None)}
    results |= {f"type-{code}": (f"typology = '{code}'", None) for code, _label in Lease.Typology.choices}
    results |= {f"financing-{code}": (f"typology IS NOT NULL AND financing = '{code}'", None)
                for code, _label in Lease.Financing.choices}
    cells = grouped_facts(_access_entries(ctx, p), "household", facts, results)
    rows = [("plai_share", _("Part de logements PLAI"), ratio(cells["plai"], cells["with_lease"]))]
    rows += [(f"type-{code}", _("Logements %(type)s") % {"type": label}, cells[f"type-{code}"])
             for code, label in Lease.Typology.choices]
    rows += [(f"financing-{code}", _("Financement %(financing)s") % {"financing": label}, cells[f"financing-{code}"])
             for code, label in Lease.Financing.choices]
    return rows


# ---------------------------------------------------------------------------------------------
# Issue 16: what FNAVDL calls for projects ask for (definitions in definitions.DEFINITIONS_FNAVDL)
# ---------------------------------------------------------------------------------------------

def _during(ctx: Context, p: Period) -> QuerySet[Household]:
    return ctx.households().filter(d.supported_during_q(p.start, p.end))


def _during_label(p: Period) -> str:
    return _("Ménages accompagnés au cours du trimestre") if p.key == "quarter" else \
        _("Ménages accompagnés depuis le début")


def _flag(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def supported_during(ctx: Context, p: Period):
    # Both parts are households supported during the period: one statement over it.
    facts = {"at_start": _flag(d.active_q(p.start - timedelta(days=1))), "entered": _flag(d.entered_q(p.start, p.end))}
    cells = grouped_facts(_during(ctx, p), "", facts, {
        "total": (None, None), "at_start": ("at_start", None), "entered": ("entered AND NOT at_start", None)})
    return [("total", _during_label(p), cells["total"]),
            ("at_start", _("dont accompagnés au premier jour"), cells["at_start"]),
            ("entered", _("dont entrés pendant la période"), cells["entered"])]


def target_publics(ctx: Context, p: Period):
    codes = [code for code, _label in TargetPublic.choices]
    facts = {f"public{index}": _flag(d.target_public_q(code)) for index, code in enumerate(codes)}
    results = {"total": (None, None)} | {code: (f"public{index}", None) for index, code in enumerate(codes)}
    cells = grouped_facts(_during(ctx, p), "", facts, results)
    return [("total", _during_label(p), cells["total"])] + [
        (code, label, cells[code]) for code, label in TargetPublic.choices]


def _with_unknown(result: dict, choices, unknown_label) -> list[tuple[str, str, dict]]:
    rows = categories(result, choices)
    return rows + [(d.UNKNOWN, str(unknown_label), result.get("", EMPTY))]


def housing_entry(ctx: Context, p: Period):
    qs = ctx.households().filter(d.entered_q(p.start, p.end))
    # The total and every situation from one statement (two before).
    codes = [code for code, _label in HousingSituation.choices] + [""]
    results = {"total": (None, None)} | {f"situation-{code}": (f"situation = '{code}'", None) for code in codes}
    cells = grouped_facts(qs, "", {"situation": F("housing_at_entry")}, results)
    by_situation = {code: cells[f"situation-{code}"] for code in codes if cells[f"situation-{code}"]["all"]["n"]}
    return [("total", _("Ménages entrés"), cells["total"])] + _with_unknown(
        by_situation, HousingSituation.choices, _("Non renseignée"))


def housing_exit(ctx: Context, p: Period):
    qs = _exits(ctx, p)
    everything, by_situation = grouped_with_total(qs, "household", "housing_at_exit")
    return [("total", _("Ménages sortis"), everything)] + _with_unknown(
        by_situation, HousingSituation.choices, _("Non renseignée"))


def reference_person(ctx: Context, p: Period):
    bands = {f"age-{code}": (f"band = '{code}'", None) for code, _label, _lo, _hi in d.AGE_BANDS}
    sexes = {f"sex-{code}": (f"person_sex = '{code}'", None) for code, _label in Sex.choices}
    cells = grouped_facts(_during(ctx, p), "", {"band": d.age_band(p.end), "person_sex": F("sex")},
                          {"total": (None, None), **bands, **sexes, f"sex-{d.UNKNOWN}": ("person_sex = ''", None)})
    rows = [("total", _during_label(p), cells["total"])]
    rows += [(f"age-{code}", str(label), cells[f"age-{code}"]) for code, label, _lo, _hi in d.AGE_BANDS]
    rows += [(f"sex-{code}", str(label), cells[f"sex-{code}"]) for code, label in Sex.choices]
    rows.append((f"sex-{d.UNKNOWN}", _("Sexe non renseigné"), cells[f"sex-{d.UNKNOWN}"]))
    return rows


DELAY_STEPS = [("referral_diagnosis", "Orientation → diagnostic"),
               ("diagnosis_decision", "Diagnostic → décision du COPIL"),
               ("decision_visit", "Décision du COPIL → première visite à domicile")]


class _Medians:
    """The days of one step, kept per cell as compact integers (a row each would take 600 MB at 10⁶
    households): cells with n (households) and median (days)."""

    def __init__(self):
        self.all, self.track, self.dep = array("l"), {}, {}
        self.ids: dict = {"all": set(), "track": {}, "dep": {}} if _COLLECT_IDS.get() else {}

    def add(self, track: str, dep: str, days: int, household: int) -> None:
        self.all.append(days)
        self.track.setdefault(track, array("l")).append(days)
        self.dep.setdefault(dep, array("l")).append(days)
        if self.ids:
            self.ids["all"].add(household)
            self.ids["track"].setdefault(track, set()).add(household)
            self.ids["dep"].setdefault(dep, set()).add(household)

    def _cell(self, values: array, ids: set | None) -> dict:
        if not values:
            return {"n": 0}
        out = {"n": len(values), "median": float(statistics.median(values))}
        if ids is not None:
            out["ids"] = ids
        return out

    def cells(self) -> dict:
        ids = self.ids or {"all": None, "track": {}, "dep": {}}
        return {"all": self._cell(self.all, ids["all"]),
                "track": {k: self._cell(v, ids["track"].get(k)) for k, v in self.track.items()},
                "dep": {k: self._cell(v, ids["dep"].get(k)) for k, v in self.dep.items()}}


def _delay_dates(ctx: Context, p: Period) -> tuple[str, tuple, str]:
    """One statement for the four dates of every entry of the period: each date is one grouped join
    between the entries and its table (a hash join, whatever the number of households), instead of
    four correlated subqueries per entry, one of which scanned every COPIL decision for each."""
    entries = ctx.scoped(SupportEpisode.objects.filter(opened_on__gte=p.start, opened_on__lte=p.end), "household")
    parts = {
        "e(id, household_id, opened_on, track, dep)": entries.values_list(
            "pk", "household_id", "opened_on", "household__track", "household__territory__code"),
        "ref(household_id, day)": Referral.objects.values_list("household_id", "referred_on"),
        "diag(household_id, day)": Diagnosis.objects.values_list("household_id", "done_on"),
        # The last word on a dossier: a corrected decision is replaced by its correction.
        "adm(household_id, day)": Decision.objects.filter(corrected_by__isnull=True, outcome=Decision.Outcome.ADMITTED)
        .values_list("item__household_id", "item__session__held_on"),
        "home(household_id, day)": Intervention.objects.filter(
            mode=Intervention.Mode.HOME_VISIT, planned=False, no_show=False).values_list("household_id", "occurred_on"),
    }
    ctes, params = [], []
    for name, qs in parts.items():
        sql, qs_params = _compiled(qs)
        ctes.append(f"{name} AS ({sql})")
        params.extend(qs_params)
    # Latest referral, diagnosis and admission on or before the entry day; first home visit from the admission on.
    latest = ("{name}_at AS (SELECT e.id, MAX(x.day) AS day FROM e JOIN {name} x ON x.household_id = e.household_id "
              "AND x.day <= e.opened_on GROUP BY e.id)")
    ctes += [latest.format(name=name) for name in ("ref", "diag", "adm")]
    ctes.append("home_at AS (SELECT e.id, MIN(x.day) AS day FROM e JOIN adm_at a ON a.id = e.id "
                "JOIN home x ON x.household_id = e.household_id AND x.day >= a.day GROUP BY e.id)")
    sql = ("WITH " + ", ".join(ctes) + " SELECT e.track, e.dep, ref_at.day, diag_at.day, adm_at.day, home_at.day, "
           "e.household_id FROM e LEFT JOIN ref_at ON ref_at.id = e.id LEFT JOIN diag_at ON diag_at.id = e.id "
           "LEFT JOIN adm_at ON adm_at.id = e.id LEFT JOIN home_at ON home_at.id = e.id")
    return sql, tuple(params), entries.db


def delays(ctx: Context, p: Period):
    """Median delays of the path for the households entered in the period (one row per entry: the
    dates are fetched, the medians computed here; SQLite has no percentile)."""
    sql, params, alias = _delay_dates(ctx, p)
    steps = {key: _Medians() for key, _label in DELAY_STEPS}
    # Read in chunks (a server-side cursor on PostgreSQL): every entry since the start is one row.
    with connections[alias].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        for track, dep, referred, diagnosed, decided, visited, household in cursor:
            for key, first, then in (("referral_diagnosis", referred, diagnosed),
                                     ("diagnosis_decision", diagnosed, decided),
                                     ("decision_visit", decided, visited)):
                if first is not None and then is not None and _days(then) >= _days(first):
                    steps[key].add(track, dep, _days(then) - _days(first), household)
    return [(key, _(label), steps[key].cells()) for key, label in DELAY_STEPS]


def _days(day) -> int:
    # SQLite hands dates back from a subquery as text.
    return (date.fromisoformat(day) if isinstance(day, str) else day).toordinal()


def access_rehousing(ctx: Context, p: Period):
    qs = _exits(ctx, p).filter(household__track=Track.ACCESS)
    known = total(grouped(qs.exclude(housing_at_exit=""), "household"))
    housed = total(grouped(qs.filter(housing_at_exit=HousingSituation.TENANT), "household"))
    return [("share", _("Taux de relogement des sortants du volet accès"), ratio(housed, known)),
            ("unknown", _("Sortants du volet accès sans situation de logement renseignée"),
             total(grouped(qs.filter(housing_at_exit=""), "household")))]


def arrears_after_exit(ctx: Context, p: Period):
    rows = []
    for months in d.AFTER_EXIT_MONTHS:
        cohort = d.after_exit_cohort(ctx.households(), p.start, p.end, months)
        # The cohort's debt once per household, for its three figures. "Known" (a rent line that
        # month) is a fact, not a filter: as a filter PostgreSQL turned it into a join with every
        # rent line ever recorded, sorted (1,1 s of 1,6 at 10⁵, external sorts at 10⁶).
        cells = grouped_facts(cohort, "", {"known": F("_after_known"), "after_debt": F("_after_debt")},
                              {"known": ("known", None), "in_debt": ("known AND after_debt > 0", None),
                               "amount": ("known", "SUM(after_debt)")})
        rows += [(f"m{months}_share", _("Part des ménages en dette %(n)s mois après la sortie") % {"n": months},
                  ratio(cells["in_debt"], cells["known"])),
                 (f"m{months}_amount", _("Dette locative %(n)s mois après la sortie (total)") % {"n": months},
                  cells["amount"])]
    return rows


def stage_entry(ctx: Context, p: Period):
    qs = ctx.scoped(SupportEpisode.objects.filter(opened_on__gte=p.start, opened_on__lte=p.end), "household")
    everything, by_stage = grouped_with_total(qs.annotate(_stage=d.stage_at_entry()), "household", "_stage")
    choices = [(d.NO_PROCEDURE, _("Aucune procédure"))] + [
        (code, label) for code, label in Stage.choices if code != Stage.CLOSED]
    return [("total", _("Ménages entrés"), everything)] + categories(by_stage, choices)


# ---------------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    key: str
    section: str
    label: str
    unit: str  # households | count | eur | eur_mean | minutes | days_mean | ratio
    fn: Callable[[Context, Period], list | None]
    headline: tuple[str, ...] = ()  # row keys shown on the summary page
    note: str = ""
    # Groups of rows tied by one additive equation in every column (e.g. a total and the rows that split
    # it): complementary suppression masks enough of them (reports/suppression.py). Patterns: a row key,
    # "prefix*", "*" (every row), "!key" (not this one). Only rows of an additive unit take part.
    splits: tuple[tuple[str, ...], ...] = ()
    # Its relative cost (seconds per column at 10⁶ households, docs/benchmarks.md): the report
    # starts the costliest first, so that none of them is left alone at the end.
    cost: int = 1
    # `fn` for several periods at once (the quarter, since the start, the quarter before) from one pass
    # over a big table: the report then runs them as one task, whose cost is `cost`.
    joint: Callable[[Context, list[Period]], list] | None = None
    # Other indicators whose rows `joint` computes in the same pass: it then gives, per period,
    # {indicator key: rows} for this one and those, and the report runs no task of theirs.
    feeds: tuple[str, ...] = ()


SECTIONS = [
    ("pipeline", "Orientations, diagnostics et COPIL"),
    ("support", "Accompagnement"),
    ("interventions", "Interventions"),
    ("profile", "Profil des ménages"),
    ("rent", "Loyer, dette et procédures"),
    ("levers", "Leviers financiers"),
    ("aids", "Demandes d'aide : demandé, accordé, versé"),
    ("access", "Volet accès : logement et taux d'effort"),
    ("fnavdl", "Publics, parcours et situation après l'accompagnement"),
]

INDICATORS: list[Indicator] = [
    Indicator("referrals", "pipeline", "Orientations reçues, par partenaire orienteur", "count", referrals,
              headline=("total",), splits=(("*",),), cost=3),
    Indicator("diagnoses", "pipeline", "Diagnostics sociaux réalisés", "count", diagnoses, splits=(("*",),), cost=3),
    Indicator("decisions", "pipeline", "Décisions du COPIL", "count", decisions, headline=("admitted",),
              splits=(("*",),)),
    Indicator("entries", "support", "Entrées en accompagnement", "households", entries, headline=("total",)),
    Indicator("active", "support", "Ménages accompagnés", "households", active, headline=("total",)),
    Indicator("exits", "support", "Sorties, par motif", "households", exits, headline=("total",),
              splits=(("*",),)),
    Indicator("support_length", "support", "Durée d'accompagnement", "days_mean", support_length),
    Indicator("interventions", "interventions", "Interventions, par mode", "count", interventions,
              headline=("total", "home_visit"), splits=(("*", "!no_show"),), cost=14,
              joint=_visits_periods, feeds=("hours",)),
    Indicator("hours", "interventions", "Temps d'intervention", "minutes", hours, headline=("total",), cost=4),
    Indicator("appointments", "interventions", "Rendez-vous et absences", "count", appointments),
    Indicator("composition", "profile", "Composition des ménages", "households", composition, splits=(("*",),), cost=6,
              joint=composition_periods),
    Indicator("resources", "profile", "Ressources des ménages", "eur_mean", resources, cost=4),
    Indicator("up_to_date", "rent", "Ménages à jour de leur loyer", "ratio", up_to_date, headline=("share",)),
    Indicator("evictions", "rent", "Expulsions évitées et réalisées", "households", evictions,
              headline=("avoided", "carried_out"), cost=3),
    Indicator("debt", "rent", "Dette locative à l'entrée et aujourd'hui", "eur", debt,
              headline=("entry", "now"), cost=18, joint=_rent_periods, feeds=("up_to_date",)),
    Indicator("levers_count", "levers", "Leviers activés par le COPIL", "count", levers_count, splits=(("*",),)),
    Indicator("levers_amount", "levers", "Montants des leviers activés", "eur", levers_amount, headline=("total",),
              splits=(("*",),)),
    Indicator("aid_requested", "aids", "Demandes d'aide déposées, par aide", "count", _aid_counts("requested")),
    Indicator("aid_requested_amount", "aids", "Montants demandés", "eur", _aid_amounts("requested"),
              headline=("total",)),
    Indicator("aid_granted", "aids", "Demandes d'aide accordées, par aide", "count", _aid_counts("granted")),
    Indicator("aid_granted_amount", "aids", "Montants accordés", "eur", _aid_amounts("granted"),
              headline=("total",)),
    Indicator("aid_paid", "aids", "Aides versées, par aide", "count", _aid_counts("paid")),
    Indicator("aid_paid_amount", "aids", "Montants versés", "eur", _aid_amounts("paid"), headline=("total",)),
    Indicator("access_effort", "access", "Taux d'effort à l'entrée (volet accès)", "ratio", access_effort,
              headline=("share",), cost=3),
    Indicator("access_dwellings", "access", "Logements à l'entrée (volet accès)", "households", access_dwellings,
              splits=(("type-*", "financing-*"),), cost=3),
    Indicator("access_rehousing", "access", "Relogement des sortants (volet accès)", "ratio", access_rehousing,
              headline=("share",)),
    Indicator("supported_during", "support", "Ménages accompagnés au cours de la période", "households",
              supported_during, headline=("total",), splits=(("*",),), cost=3),
    Indicator("target_publics", "fnavdl", "Publics prioritaires du FNAVDL", "households", target_publics, cost=3),
    Indicator("housing_entry", "fnavdl", "Situation de logement à l'entrée", "households", housing_entry,
              splits=(("*",),)),
    Indicator("housing_exit", "fnavdl", "Situation de logement à la sortie", "households", housing_exit,
              splits=(("*",),)),
    Indicator("reference_person", "fnavdl", "Âge et sexe de la personne de référence", "households",
              reference_person, splits=(("total", "age-*"), ("total", "sex-*")), cost=3),
    Indicator("delays", "fnavdl", "Délais médians du parcours (jours)", "days_median", delays, cost=9),
    Indicator("stage_entry", "fnavdl", "Stade de la procédure à l'entrée", "households", stage_entry,
              splits=(("*",),), cost=6),
    Indicator("arrears_after_exit", "fnavdl", "Dette locative après la fin de l'accompagnement", "ratio",
              arrears_after_exit, cost=8),
]

# Hook for the aid applications' figures (levers requested, granted and paid: another helper's aid
# model). Add a section and its indicators with `register_section("aid", "Aides demandées, accordées
# et versées", [Indicator("aid_requested", "aid", ...), ...])` from the aid app; the report, its
# definitions page, the exports, the dashboard and the small-cell protection pick them up from here.
def register_section(key: str, label: str, indicators: list[Indicator]) -> None:
    if key not in {k for k, _label in SECTIONS}:
        SECTIONS.append((key, label))
    known = {i.key for i in INDICATORS}
    INDICATORS.extend(i for i in indicators if i.key not in known)


# Units whose rows are not all of the indicator's unit.
ROW_UNITS = {
    ("interventions", "no_show"): "count",
    ("appointments", "honoured"): "ratio",
    ("appointments", "no_show"): "ratio",
    ("appointments", "cancelled"): "ratio",
    ("up_to_date", "unknown"): "households",
    ("evictions", "carried_out"): "households",
    ("debt", "in_debt"): "households",
    ("resources", "total"): "eur_mean",
    ("access_dwellings", "plai_share"): "ratio",
    ("access_rehousing", "unknown"): "households",
    ("arrears_after_exit", "m6_amount"): "eur",
    ("arrears_after_exit", "m12_amount"): "eur",
}


def splits_of(indicator_key: str) -> tuple[tuple[str, ...], ...]:
    return next((i.splits for i in INDICATORS if i.key == indicator_key), ())


def _row_unit(indicator_key: str, row_key: str, unit: str) -> str:
    if (indicator_key, row_key) in ROW_UNITS:
        return ROW_UNITS[(indicator_key, row_key)]
    if indicator_key == "resources":
        return "households"
    return unit


def _rows(indicator: Indicator, per_period: list[tuple[Period, list | None]]) -> list[dict]:
    rows: dict[str, dict] = {}
    order: list[str] = []
    for period, period_rows in per_period:
        for row_key, label, cells in period_rows or []:
            if row_key not in rows:
                order.append(row_key)
                rows[row_key] = {"key": row_key, "label": str(label),
                                 "unit": _row_unit(indicator.key, row_key, indicator.unit),
                                 "headline": row_key in indicator.headline,
                                 "quarter": None, "cumulative": None}
            rows[row_key][period.key] = cells
    return [rows[k] for k in order]


def indicator_rows(ctx: Context, indicator: Indicator) -> list[dict]:
    return _rows(indicator, [(period, indicator.fn(ctx, period)) for period in ctx.periods])


def _indicator_dict(indicator: Indicator, rows: list[dict]) -> dict:
    return {"key": indicator.key, "section": indicator.section, "label": indicator.label, "unit": indicator.unit,
            "rows": rows}


#: The series' relative cost (see Indicator.cost).
SERIES_COST = 9


def _run_all(tasks: dict[tuple, tuple[int, Callable[[], object]]]) -> dict[tuple, object]:
    """{name: (cost, task)} -> {name: result}: every task on the report's connections at once, in one
    snapshot (zel.lib.shared_snapshot), the costliest first. A joint task's result, {name: result},
    is spread into the names it computed."""
    names = sorted(tasks, key=lambda name: -tasks[name][0])
    results = run_in_snapshot([tasks[name][1] for name in names], alias=router.db_for_read(Household),
                              workers=settings.ZEL_REPORT_CONNECTIONS, work_mem=settings.ZEL_REPORT_WORK_MEM)
    out: dict[tuple, object] = {}
    for name, result in zip(names, results, strict=True):
        out |= result if name[0] == "joint" else {name: result}  # type: ignore[arg-type]
    return out


def _indicator_tasks(ctx: Context, previous: Period | None = None) -> dict[tuple, tuple[int, Callable[[], object]]]:
    """One task per indicator and period (("indicator", key, period), and with `previous` the headline
    indicators' ("previous", key)); one ("joint", key) task for all of an indicator's periods where it
    has `joint`."""
    tasks: dict[tuple, tuple[int, Callable[[], object]]] = {}
    fed = {key for indicator in INDICATORS for key in indicator.feeds}
    for indicator in INDICATORS:
        if indicator.key in fed:
            continue  # in the task of the indicator that feeds it
        named = _named(indicator, ctx, previous)
        if indicator.joint is None:
            tasks |= {name: (indicator.cost, partial(indicator.fn, ctx, p)) for name, p in named}
        else:
            tasks[("joint", indicator.key)] = (indicator.cost, partial(_joint_task, indicator, ctx, named))
    return tasks


def _named(indicator: Indicator, ctx: Context, previous: Period | None) -> list[tuple[tuple, Period]]:
    """The (result name, period) pairs of an indicator's task, and those of the indicators it feeds."""
    named = [(("indicator", indicator.key, p.key), p) for p in ctx.periods]
    if previous is not None and (indicator.headline or any(_by_key(key).headline for key in indicator.feeds)):
        named.append((("previous", indicator.key), previous))
    return named


def _by_key(key: str) -> Indicator:
    return next(i for i in INDICATORS if i.key == key)


def _joint_task(indicator: Indicator, ctx: Context, named: list[tuple[tuple, Period]]) -> dict[tuple, object]:
    assert indicator.joint is not None
    per_period = indicator.joint(ctx, [p for _name, p in named])
    if not indicator.feeds:
        return {name: rows for (name, _p), rows in zip(named, per_period, strict=True)}
    # ("indicator", key, period) or ("previous", key): the same period under each indicator's key.
    return {(name[0], key, *name[2:]): rows for (name, _p), figures in zip(named, per_period, strict=True)
            for key, rows in figures.items()}


def _indicators_from(ctx: Context, results: dict[tuple, object]) -> list[dict]:
    return [_indicator_dict(i, _rows(i, [(p, results[("indicator", i.key, p.key)]) for p in ctx.periods]))
            for i in INDICATORS]


def compute_indicators(ctx: Context) -> list[dict]:
    return _indicators_from(ctx, _run_all(_indicator_tasks(ctx)))


def compute(quarter: str, territory_codes: list[str] | None) -> dict:
    """The frozen figures of one report: aggregates only, JSON-serialisable."""
    return compute_report(quarter, territory_codes)[0]


def compute_report(quarter: str, territory_codes: list[str] | None, *,
                   previous_headline: bool = False) -> tuple[dict, dict | None]:
    """`compute()`, and with `previous_headline` the headline cells of the quarter before
    ({"indicator.row": cells}, for the comparison on the summary page) computed with the same
    connections and snapshot (None without)."""
    ctx = Context(quarter, territory_codes)
    # The quarter before is a quarter column of the same scope (no indicator reads ctx.quarter).
    previous = Period("quarter", *quarters.bounds(quarters.previous(quarter))) if previous_headline else None
    tasks = _indicator_tasks(ctx, previous)
    tasks[("series",)] = (SERIES_COST, partial(series, ctx))
    results = _run_all(tasks)
    territories = Territory.objects.order_by("code")
    if territory_codes is not None:
        territories = territories.filter(code__in=territory_codes)
    figures = {
        "version": 1,
        "quarter": quarter,
        "quarter_label": quarters.label(quarter),
        "periods": {p.key: [p.start.isoformat(), p.end.isoformat()] for p in ctx.periods},
        "territories": [{"code": t.code, "name": t.name} for t in territories],
        "tracks": [{"code": str(code), "name": str(label)} for code, label in Track.choices],
        "sections": [{"key": k, "label": label} for k, label in SECTIONS],
        "indicators": _indicators_from(ctx, results),
        "series": results[("series",)],
        "computed_at": timezone.now().isoformat(),
    }
    if not previous_headline:
        return figures, None
    headline = {f"{i.key}.{row_key}": cells for i in INDICATORS if i.headline
                for row_key, _label, cells in results[("previous", i.key)] or [] if row_key in i.headline}
    return figures, headline


def series(ctx: Context, n: int = 8) -> dict:
    """Eight quarters of entries, exits and arrears for the charts (oldest first)."""
    out = {"quarters": [], "entries": [], "exits": [], "arrears": [], "arrears_n": []}
    ends, counts = [], {}
    for k, quarter in enumerate(quarters.last_n(ctx.quarter, n)):
        start, end = quarters.bounds(quarter)
        ends.append(end)
        out["quarters"].append(quarter)
        # Households with an episode opened (entered, as `d.entered_q`) or closed in the quarter.
        counts[f"entries{k}"] = Count("household", distinct=True, filter=Q(opened_on__gte=start, opened_on__lte=end))
        counts[f"exits{k}"] = Count("household", distinct=True, filter=Q(closed_on__gte=start, closed_on__lte=end))
    # The sixteen counts from one pass over the episodes (sixteen statements before).
    counted = ctx.scoped(SupportEpisode.objects.filter(opened_on__lte=ends[-1]), "household").aggregate(**counts)
    out["entries"] = [counted[f"entries{k}"] for k in range(len(ends))]
    out["exits"] = [counted[f"exits{k}"] for k in range(len(ends))]
    for total_debt, households in _debts_in_arrears(ctx, ends):
        out["arrears"].append(_jsonable(_money(total_debt) or Decimal(0)))
        out["arrears_n"].append(households)
    return out


def _debts_in_arrears(ctx: Context, ends: list[date]) -> list[tuple]:
    """(sum, count) of the arrears above zero of the households supported at each of `ends`, in one
    statement: which households were active at each end comes from one grouped pass over their
    episodes, and their arrears at every end from one pass over their rent lines (where probing each
    household's lines at each date took 18 s at 10⁶ households)."""
    flag = Value(1, output_field=IntegerField())
    active = {f"active{k}": Max(Case(When(d.episode_active_q(end), then=flag), default=Value(0)))
              for k, end in enumerate(ends)}
    days = {f"end{k}": Value(end, output_field=DateField()) for k, end in enumerate(ends)}
    episodes = ctx.scoped(SupportEpisode.objects.filter(d.episode_during_q(ends[0], ends[-1])), "household")
    source = episodes.values("household_id").annotate(**active, **days)
    sql, params = _compiled(source)
    cuts = {f"debt{k}": ArrearsCut(f"end{k}") for k in range(len(ends))}
    sums = ", ".join(f"SUM(CASE WHEN p.active{k} = 1 AND a.debt{k} > 0 THEN a.debt{k} END), "
                     f"SUM(CASE WHEN p.active{k} = 1 AND a.debt{k} > 0 THEN 1 ELSE 0 END)" for k in range(len(ends)))
    columns = ", ".join(["hid", *active, *days])
    statement = (f"WITH p({columns}) AS {_materialized(source.db)}({sql}), "
                 f"a AS ({arrears_by_household_sql('p', cuts)}) SELECT {sums} FROM p JOIN a ON a.hid = p.hid")
    with connections[source.db].cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    return [(row[2 * k], row[2 * k + 1] or 0) for k in range(len(ends))]


# ---------------------------------------------------------------------------------------------
# Display: small cells and French formatting (pages, PDF, CSV and XLSX all go through here)
# ---------------------------------------------------------------------------------------------

def value(cell: dict | None, unit: str, *, small: int = SMALL):
    """The published number of a cell, or NOT_PUBLISHED for 1–4 households, or None if no data.
    `small=1`: the exact figure (the managers' dashboard, whose numbers open their households)."""
    if cell is None:
        return None
    n = cell.get("n", 0) or 0
    if 0 < n < small:
        return NOT_PUBLISHED
    if unit == "households":
        return n
    if n == 0:
        if unit in {"ratio", "eur_mean", "days_mean", "days_median"}:
            return None
        return Decimal(0) if unit == "eur" else 0
    if unit == "count":
        return int(cell.get("v", 0) or 0)
    if unit == "eur":
        return Decimal(str(cell.get("v", 0) or 0))
    if unit == "eur_mean":
        return (Decimal(str(cell.get("sum", 0) or 0)) / n).quantize(Decimal("0.01"))
    if unit == "minutes":
        return (Decimal(int(cell.get("v", 0) or 0)) / 60).quantize(Decimal("0.1"))
    if unit == "days_mean":
        count = cell.get("count", 0) or 0
        return round(Decimal(str(cell.get("sum", 0) or 0)) / count) if count else None
    if unit == "ratio":
        return Decimal(cell.get("num", 0)) / Decimal(n)
    if unit == "days_median":
        return Decimal(str(cell["median"])).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    raise ValueError(unit)


def display(cell: dict | None, unit: str, *, small: int = SMALL) -> str:
    shown = value(cell, unit, small=small)
    if shown is None:
        return "—"
    if shown == NOT_PUBLISHED:
        return NOT_PUBLISHED
    if unit in {"eur", "eur_mean"}:
        return format_eur(shown)
    if unit == "ratio":
        return format_percent(shown)
    if unit == "minutes":
        return format_number(shown, 1)
    return format_number(shown, 0)


def stamp() -> str:
    return datetime.now(tz=timezone.get_current_timezone()).strftime("%d/%m/%Y %H:%M")
