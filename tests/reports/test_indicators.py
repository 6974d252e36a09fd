"""Exact figures of the hand-built programme (tests/reports/conftest.py), worked out by hand."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.models import Household
from reports import definitions as d
from reports import indicators, quarters

from . import factories as f

pytestmark = pytest.mark.django_db


def row(figures, indicator, row_key, period="quarter"):
    ind = next(i for i in figures["indicators"] if i["key"] == indicator)
    return next(r for r in ind["rows"] if r["key"] == row_key)[period]


def n(figures, indicator, row_key, period="quarter", dim="all", key=None):
    cells = row(figures, indicator, row_key, period)
    cell = cells["all"] if dim == "all" else cells[dim].get(key, {})
    return cell.get("n", 0)


def v(figures, indicator, row_key, period="quarter"):
    return row(figures, indicator, row_key, period)["all"].get("v", 0)


@pytest.fixture
def q4(programme):
    return indicators.compute("2025Q4", None)


def names(qs):
    return sorted(h.last_name for h in qs)


# ---- the two definitions, household by household ------------------------------------------------

def test_up_to_date_definition_household_by_household(programme):
    start, end = quarters.bounds("2025Q4")
    supported = Household.objects.filter(d.active_q(end))
    # H1 repaid its entry debt in December, H2 caught up November in December, H10 paid its installment.
    assert names(supported.filter(d.up_to_date_q(start, end))) == ["Aubertin", "Bellamy", "Jourdain"]
    # H3 left December unpaid; H9 paid the rent but not the November installment; H7/H8 have no account.
    assert names(supported.filter(d.rent_known_q(start, end))) == [
        "Aubertin", "Bellamy", "Carbonnel", "Isambert", "Jourdain"]


def test_eviction_avoided_definition_and_quarter_boundaries(programme):
    # H1: closure on 31/12 (last day) counts in Q4; H5: support ended 01/10 (first day) with its plan kept.
    assert names(Household.objects.filter(d.eviction_avoided_q(*quarters.bounds("2025Q4")))) == [
        "Aubertin", "Escoffier"]
    # H3: closure on 01/01/2026 belongs to the next quarter.
    assert names(Household.objects.filter(d.eviction_avoided_q(*quarters.bounds("2026Q1")))) == ["Carbonnel"]
    # H6 left on 30/09 with a plan not kept: nothing in Q3. H2 entered before its commandement: never.
    assert names(Household.objects.filter(d.eviction_avoided_q(*quarters.bounds("2025Q3")))) == []
    assert names(Household.objects.filter(d.eviction_avoided_q(quarters.PROGRAMME_START, date(2026, 12, 31)))) == [
        "Aubertin", "Carbonnel", "Escoffier"]


def test_plan_kept_needs_the_installments_paid_over_the_rent(programme):
    # H5 paid 4 × 50 € over its rent by October: the 3 installments due by 01/10 are covered.
    kept = d.kept_plans(date(2025, 10, 1)).values_list("lease__household__last_name", flat=True)
    assert sorted(kept) == ["Escoffier"]
    # By 05/11, H10's November surplus covers its installment; H9's does not.
    kept = d.kept_plans(date(2025, 11, 30)).values_list("lease__household__last_name", flat=True)
    assert sorted(kept) == ["Escoffier", "Jourdain"]


# ---- the report's figures for 2025Q4 ---------------------------------------------------------------

def test_pipeline_figures(q4):
    # Referrals: H11 15/10, H12 01/11, H7 31/12 (H8's on 01/01/2026 is next quarter). Cumulative adds H1.
    assert v(q4, "referrals", "total") == 3
    assert v(q4, "referrals", "total", "cumulative") == 4
    # Diagnoses: H11 20/10, H7 05/11, H8 31/12.
    assert v(q4, "diagnoses", "total") == 3
    assert (n(q4, "diagnoses", "standard"), n(q4, "diagnoses", "relocation")) == (3, 0)
    # Decisions: H7 admitted, H8 adjourned (01/10), H11 refused, H12 admitted by correction.
    assert v(q4, "decisions", "total") == 4
    assert v(q4, "decisions", "admitted") == 2
    assert v(q4, "decisions", "adjourned") == 1
    assert v(q4, "decisions", "refused") == 1
    assert n(q4, "decisions", "refused", dim="dep", key="54") == 1
    # Levers: FSL 300 + Visale 0 + rent aid 150; the superseded decision's 999 € does not count.
    assert v(q4, "levers_count", "total") == 3
    assert v(q4, "levers_amount", "total") == "450.00"
    assert "fsl_maintenance" not in [r["key"] for r in next(
        i for i in q4["indicators"] if i["key"] == "levers_amount")["rows"]]


def test_support_figures(q4):
    # Entries: H8 on 01/10 and H7 on 31/12; H12 on 01/01/2026 is next quarter.
    assert n(q4, "entries", "total") == 2
    assert n(q4, "entries", "total", dim="track", key="acces") == 2
    # Since the start: H1–H10 entered by 31/12/2025.
    assert n(q4, "entries", "total", "cumulative") == 10
    # Active on 31/12: H1 H2 H3 H7 H8 (57) and H9 H10 (54); H4 and H5 left, H6 left in Q3.
    assert n(q4, "active", "total") == 7
    assert n(q4, "active", "total", dim="dep", key="57") == 5
    assert n(q4, "active", "total", dim="dep", key="54") == 2
    assert n(q4, "active", "total", dim="track", key="maintien") == 5
    # Exits: H5 on 01/10 (stable tenant) and H4 (evicted); H6 on 30/09 is Q3.
    assert n(q4, "exits", "total") == 2
    assert n(q4, "exits", "stable_tenant") == 1
    assert n(q4, "exits", "evicted") == 1
    assert n(q4, "exits", "rehoused") == 0
    assert n(q4, "exits", "rehoused", "cumulative") == 1
    # Mean length: H4 292 days (01/02 → 20/11), H5 487 days (01/06/2024 → 01/10/2025).
    cell = row(q4, "support_length", "total")["all"]
    assert (cell["sum"], cell["count"]) == (292 + 487, 2)


def test_intervention_figures(q4):
    # Done in Q4: H1 60 + 15 (31/12), H2 90, H5 30 (01/10), H7 60 (31/12), H8 60, H9 30.
    # Not counted: H2's no-show, H3's 01/01/2026 and 30/09 visits, H10's planned visit.
    assert v(q4, "interventions", "total") == 7
    assert n(q4, "interventions", "total") == 6
    assert v(q4, "interventions", "home_visit") == 4
    # Households per mode: H1, H2, H5, H8 at home; H1 also on the phone; H7 at the office; H9 by video.
    assert [n(q4, "interventions", mode) for mode in ("home_visit", "phone", "office", "video", "accompaniment")] == [
        4, 1, 1, 1, 0]
    assert n(q4, "interventions", "phone", dim="track", key="maintien") == 1
    assert v(q4, "interventions", "no_show") == 1
    assert v(q4, "hours", "total") == 345
    assert indicators.display(row(q4, "hours", "total")["all"], "minutes") == "5,8"


def test_rent_and_eviction_figures(q4):
    share = row(q4, "up_to_date", "share")["all"]
    assert share == {"n": 5, "num": 3}
    assert indicators.display(share, "ratio") == "60,0\xa0%"
    assert n(q4, "up_to_date", "unknown") == 2  # H7 and H8
    assert row(q4, "up_to_date", "share", "cumulative") is None
    assert n(q4, "evictions", "avoided") == 2
    assert n(q4, "evictions", "carried_out") == 1
    assert n(q4, "evictions", "avoided", "cumulative") == 2
    # Debt of the supported households with an account: H1 owed 400 € at entry (February), H3 owes
    # 100 + 400 = 500 € at quarter end; credits (H10) count as no debt.
    assert v(q4, "debt", "entry") == "400.00"
    assert v(q4, "debt", "now") == "500.00"
    assert n(q4, "debt", "in_debt") == 1


def test_access_figures(q4):
    # H7: (400 + 50 − 250) / 1000 = 20 %; H8: (500 + 80 − 100) / 1200 = 40 %.
    assert row(q4, "access_effort", "share")["all"] == {"n": 2, "num": 1}
    assert row(q4, "access_dwellings", "plai_share")["all"] == {"n": 2, "num": 1}
    assert n(q4, "access_dwellings", "type-T2") == 1
    assert n(q4, "access_dwellings", "type-T3") == 1


def test_profile_figures(q4):
    # H7 lives with one child: a single-parent family; the other supported households live alone.
    assert n(q4, "composition", "single_parent") == 1
    assert n(q4, "composition", "single") == 6
    assert row(q4, "composition", "total")["all"]["persons"] == 7 + 1  # seven households, one child
    assert n(q4, "resources", "salary") == 7


def test_series_of_entries_and_exits(q4):
    s = q4["series"]
    assert s["quarters"][-2:] == ["2025Q3", "2025Q4"]
    assert s["entries"][-2:] == [2, 2]  # Q3: H9 (01/07), H10 (01/09); Q4: H8, H7
    assert s["exits"][-2:] == [1, 2]  # Q3: H6 (30/09)


def test_scope_of_a_departement_only_counts_its_households(programme):
    figures = indicators.compute("2025Q4", ["54"])
    assert n(figures, "active", "total") == 2
    assert v(figures, "decisions", "total") == 1
    assert v(figures, "referrals", "total") == 1
    assert [t["code"] for t in figures["territories"]] == ["54"]
    assert figures["series"]["entries"][-2:] == [2, 0]  # H9 and H10 entered in Q3; Q4's entries are in 57


def test_small_cells_are_hidden_at_display_only():
    assert indicators.display({"n": 4}, "households") == "< 5"
    assert indicators.display({"n": 1, "v": 3}, "count") == "< 5"
    assert indicators.display({"n": 0}, "households") == "0"
    assert indicators.display({"n": 5}, "households") == "5"
    assert indicators.display({"n": 4, "num": 4}, "ratio") == "< 5"
    assert indicators.display({"n": 3, "v": "1200.00"}, "eur") == "< 5"
    assert indicators.display({"n": 6, "v": "1200.00"}, "eur") == "1\xa0200,00\xa0€"
    assert indicators.display(None, "ratio") == "—"


def test_quarters():
    assert quarters.bounds("2025Q4") == (date(2025, 10, 1), date(2025, 12, 31))
    assert quarters.bounds("2024Q1") == (date(2024, 1, 1), date(2024, 3, 31))
    assert quarters.previous("2025Q1") == "2024Q4"
    assert quarters.of(date(2026, 1, 1)) == "2026Q1"
    assert quarters.of(date(2025, 12, 31)) == "2025Q4"
    with pytest.raises(ValueError):
        quarters.parse("2025Q5")


def test_figures_cost_the_same_number_of_queries_for_5_or_50_more_households(programme, orgs, personas):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            indicators.compute("2025Q4", None)
        return len(ctx.captured_queries)

    def add(k):
        for i in range(k):
            h = f.household(f"Extra{i} Foyer", organisation=orgs.amli)
            f.episode(h, date(2025, 11, 1))
            f.visit(h, personas.worker, date(2025, 11, 2), 30)

    add(5)
    small = count_queries()
    add(45)
    assert count_queries() == small


def test_a_household_with_two_episodes_in_the_quarter_is_one_household(programme, orgs):
    # Left in October, came back, left again in December: two exits, one household that left.
    twice = f.household("Jolivet Prudence", organisation=orgs.amli)
    f.episode(twice, date(2025, 3, 1), date(2025, 10, 15), reason="stable_tenant")
    f.episode(twice, date(2025, 11, 1), date(2025, 12, 20), reason="stable_tenant")
    before = indicators.compute("2025Q4", None)
    assert n(before, "exits", "total") == 2 + 1
    assert n(before, "exits", "stable_tenant") == 1 + 1
    assert n(before, "entries", "total") == 2 + 1


def test_debt_since_the_start_is_every_entered_households_debt_at_quarter_end(q4):
    # The two columns come from one statement: the cumulative one must still be its own population.
    from decimal import Decimal

    from django.db.models import Exists, OuterRef

    from litigation.arrears import household_arrears_sql
    from litigation.models import RentAccountLine

    _start, end = quarters.bounds("2025Q4")
    with_account = Exists(RentAccountLine.objects.filter(lease__household=OuterRef("pk")))
    populations = (("quarter", d.active_q(end)), ("cumulative", d.entered_q(quarters.PROGRAMME_START, end)))
    for period, population in populations:
        debts = [Decimal(debt).quantize(Decimal("0.01")) for debt in Household.objects.filter(population, with_account)
                 .annotate(debt=household_arrears_sql(on=end)).values_list("debt", flat=True)]
        assert Decimal(v(q4, "debt", "now", period)) == sum(debts)
        assert n(q4, "debt", "in_debt", period) == sum(1 for debt in debts if debt > 0)
        assert n(q4, "debt", "now", period) == len(debts)
    assert n(q4, "debt", "now", "cumulative") > n(q4, "debt", "now", "quarter")


def test_the_debt_of_three_periods_in_one_pass_is_each_period_computed_alone(programme):
    # The report reads the quarter, since the start and the quarter before in one pass over the rent
    # lines: each period keeps its own households, entry month and quarter-end cut.
    ctx = indicators.Context("2025Q4", None)
    before = indicators.Period("quarter", *quarters.bounds("2025Q3"))
    periods = [*ctx.periods, before]
    joint = indicators.debt_periods(ctx, periods)
    assert joint == [indicators.debt(ctx, period) for period in periods]
    assert joint[0] != joint[1] and joint[0] != joint[2]


def test_the_share_up_to_date_comes_from_the_debts_pass_and_equals_each_quarter_alone(programme):
    # The report reads the rent lines once for the debt and for the quarter's rent paid: each quarter
    # keeps its supported households, its months and its installments.
    ctx = indicators.Context("2025Q4", None)
    periods = [*ctx.periods, indicators.Period("quarter", *quarters.bounds("2025Q3"))]
    joint = [figures["up_to_date"] for figures in indicators._rent_periods(ctx, periods)]
    assert joint == [indicators.up_to_date(ctx, period) for period in periods]
    assert joint[1] is None and joint[0] != joint[2]
    assert joint[0][0][2]["all"]["num"] > 0
    with indicators.collecting_ids():  # the dashboard's drill-down opens the same households
        alone = indicators.up_to_date(ctx, periods[0])
        assert [figures["up_to_date"] for figures in indicators._rent_periods(ctx, periods)][0] == alone
    assert alone[0][2]["all"]["ids"]


def test_the_interventions_of_three_periods_in_one_pass_are_each_period_counted_alone(programme):
    ctx = indicators.Context("2025Q4", None)
    periods = [*ctx.periods, indicators.Period("quarter", *quarters.bounds("2025Q3"))]
    joint = indicators.interventions_periods(ctx, periods)
    assert joint == [indicators.interventions(ctx, period) for period in periods]
    assert joint[0] != joint[1] and joint[0] != joint[2]


def test_the_composition_of_both_periods_in_one_pass_is_each_period_computed_alone(programme):
    ctx = indicators.Context("2025Q4", None)
    joint = indicators.composition_periods(ctx, ctx.periods)
    assert joint == [indicators.composition_periods(ctx, [period])[0] for period in ctx.periods]
    assert joint[0] != joint[1]


def test_the_hours_of_three_periods_come_from_the_visits_pass_and_equal_each_period_alone(programme):
    # The report reads the visits once for their modes and their durations.
    ctx = indicators.Context("2025Q4", None)
    periods = [*ctx.periods, indicators.Period("quarter", *quarters.bounds("2025Q3"))]
    joint = [figures["hours"] for figures in indicators._visits_periods(ctx, periods)]
    assert joint == [indicators.hours(ctx, period) for period in periods]
    assert all(rows[0][2]["all"]["v"] > 0 for rows in joint) and joint[0] != joint[1]
    with indicators.collecting_ids():  # the dashboard's drill-down: each period on its own, households kept
        assert [figures["hours"] for figures in indicators._visits_periods(ctx, periods)] == [
            indicators.hours(ctx, period) for period in periods]


def test_each_composition_is_told_from_the_members_relations(programme, orgs, q4):
    from households.models import HouseholdMember

    kinds = {"couple_children": ["spouse", "child"], "couple": ["spouse"], "single_parent": ["child"],
             "other": ["spouse", "child", "parent"], "single": []}
    for kind, relations in kinds.items():
        household = f.household(f"Composition {kind}", organisation=orgs.amli)
        f.episode(household, date(2025, 1, 6))
        for k, relation in enumerate(relations):
            HouseholdMember.objects.create(household=household, relation=relation, first_name=f"M{k}", birth_year=1990)
    after = indicators.compute("2025Q4", None)
    for kind in kinds:
        assert n(after, "composition", kind) == n(q4, "composition", kind) + 1, kind
    persons = row(after, "composition", "total")["all"]["persons"] - row(q4, "composition", "total")["all"]["persons"]
    assert persons == 5 + sum(len(relations) for relations in kinds.values())
