"""One truth per figure (issue 12, docs/domain.md): every screen that shows the effort rate, the reste à
vivre or the rent debt agrees with the pure rules, to the cent.

The property test generates households with one or two leases, resources, a housing benefit paid to the
landlord or to the tenant, budget outgoings and rent lines, and reads the figures through the functions
the screens call: the household file (households.figures), the COPIL dossier (copil.selectors), the
procedure page (litigation.arrears.lease_debt, the procedure's cached debt), the DSF pre-fill
(litigation.integrations), the early-warning job and the quarterly report's SQL (household arrears,
frozen entry figures). The expected values come from households.budget and litigation.rent alone.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copil.selectors import dossier_summary
from households import budget
from households.figures import household_figures
from households.models import FrozenFigures, Household, Lease
from households.services import figures_freeze
from litigation.arrears import ArrearsCut, arrears_by_household_sql, household_arrears_sql, lease_debt
from litigation.integrations import dsf_prefill_for
from litigation.models import EarlyWarning, RentAccountLine
from litigation.rent import MonthLine, arrears, debt_series
from litigation.rent_import import refresh_procedure_debts
from litigation.services import early_warnings_detect
from tests.copil.factories import AgendaItemFactory, SessionFactory
from tests.factories import HouseholdFactory, LeaseFactory, MemberFactory, ResourceFactory
from tests.litigation.factories import ProcedureFactory
from tests.support.factories import ChargeFactory, DebtFactory

pytestmark = pytest.mark.django_db
D = Decimal

cents = st.integers(min_value=0, max_value=150_000).map(lambda c: D(c) / 100)


def _worked_example(orgs, *, recipient: str) -> Household:
    """RSA 650 + family allowance 140; rent 420 + charges 90; APL 300 (docs/domain.md)."""
    household = HouseholdFactory(organisation=orgs.amli)
    ResourceFactory(household=household, kind="rsa", monthly_amount=D("650"))
    ResourceFactory(household=household, kind="family", monthly_amount=D("140"))
    LeaseFactory(household=household, rent=D("420"), service_charges=D("90"), housing_benefit=D("300"),
                 housing_benefit_recipient=recipient)
    return household


@pytest.mark.parametrize("recipient", [Lease.BenefitRecipient.LANDLORD, Lease.BenefitRecipient.TENANT])
def test_worked_example_shows_26_6_percent_on_household_file_copil_dossier_and_dsf(
        as_user, personas, orgs, recipient):
    household = _worked_example(orgs, recipient=recipient)
    household.assigned_workers.add(personas.worker)
    page = as_user(personas.worker).get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "26,6\xa0%" in page
    item = AgendaItemFactory(household=household, session=SessionFactory(members=[personas.copil_a]))
    dossier = as_user(personas.copil_a).get(
        reverse("copil:dossier", args=[item.session_id, item.pk])).content.decode()
    assert 'data-testid="effort-before">26,6\xa0%' in dossier
    assert dsf_prefill_for(household.pk)["effort_rate"] == D("0.2658")


def test_dsf_page_shows_the_worked_example(as_user, personas, orgs):
    from litigation.models import Dsf

    household = _worked_example(orgs, recipient=Lease.BenefitRecipient.TENANT)
    household.assigned_workers.add(personas.worker)
    procedure = ProcedureFactory(lease=household.leases.get())
    dsf = Dsf.objects.create(procedure=procedure, household=household, hearing_on=date(2026, 3, 2),
                             assigned_to=personas.worker)
    page = as_user(personas.worker).get(reverse("litigation:dsf_detail", args=[dsf.pk])).content.decode()
    assert 'data-testid="effort">26,6\xa0%' in page


def test_zero_resources_say_the_rate_is_not_computable(as_user, personas, orgs):
    household = HouseholdFactory(organisation=orgs.amli, workers=[personas.worker])
    LeaseFactory(household=household)
    page = as_user(personas.worker).get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "ressources nulles : taux non calculable" in page


def test_entry_figures_stay_in_the_report_after_resources_change(personas, orgs):
    from reports import indicators

    household = _worked_example(orgs, recipient=Lease.BenefitRecipient.LANDLORD)
    Household.objects.filter(pk=household.pk).update(track="acces")
    from support.models import SupportEpisode

    SupportEpisode.objects.create(household=household, opened_on=date(2025, 11, 3))
    figures_freeze(household=household, moment=FrozenFigures.Moment.ENTRY, by=None, taken_on=date(2025, 11, 3),
                   source="test")
    household.resources.update(monthly_amount=D("2000"))  # 210 / 4000: now well under 25 %
    ctx = indicators.Context("2025Q4", None)
    [(_key, _label, cells)] = indicators.access_effort(ctx, ctx.periods[0])
    assert cells["all"] == {"n": 1, "num": 0}  # entered at 26,6 %: not within the cap, whatever came later
    assert FrozenFigures.objects.get(household=household).effort_rate == D("0.2658")


def set_based_arrears(household_id: int, *, on: date, before: date) -> tuple[Decimal, Decimal]:
    from django.db import connection

    cuts = {"on_cut": ArrearsCut("on_day"), "before_cut": ArrearsCut("before_day", before=True)}
    sql = "WITH s(hid, on_day, before_day) AS (SELECT %s, %s, %s) " + arrears_by_household_sql("s", cuts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [household_id, on, before])
        row = cursor.fetchone()
    if row is None:  # no rent line at all
        return D(0), D(0)
    return tuple(Decimal(str(value)).quantize(D("0.01")) for value in row[1:3])


month_lines = st.lists(st.tuples(cents, st.integers(0, 40_000).map(lambda c: D(c) / 100), cents),
                       min_size=0, max_size=5)
lease_data = st.fixed_dictionaries({
    "rent": cents, "charges": st.integers(0, 20_000).map(lambda c: D(c) / 100),
    "benefit": st.integers(0, 40_000).map(lambda c: D(c) / 100),
    "recipient": st.sampled_from(["landlord", "tenant"]), "lines": month_lines})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(resources=st.lists(cents, min_size=0, max_size=3), leases=st.lists(lease_data, min_size=1, max_size=2),
       children=st.integers(0, 3), charge=cents, repayment=st.integers(0, 30_000).map(lambda c: D(c) / 100))
def test_every_screen_agrees_to_the_cent(orgs, personas, resources, leases, children, charge, repayment):
    today = timezone.localdate()
    first_month = (today.replace(day=1) - timedelta(days=95)).replace(day=1)
    household = HouseholdFactory(organisation=orgs.amli, birth_year=1985)
    for n in range(children):
        MemberFactory(household=household, birth_year=today.year - 3 - 4 * n)
    for kind, amount in zip(["salary", "rsa", "family"], resources, strict=False):
        ResourceFactory(household=household, kind=kind, monthly_amount=amount)
    ChargeFactory(household=household, monthly_amount=charge)
    DebtFactory(household=household, monthly_repayment=repayment)
    created, expected_lease_debt = [], {}
    for index, data in enumerate(leases):
        benefit = min(data["benefit"], data["rent"] + data["charges"])
        lease = LeaseFactory(household=household, rent=data["rent"], service_charges=data["charges"],
                             housing_benefit=benefit, housing_benefit_recipient=data["recipient"],
                             signed_on=date(2020 + index, 1, 1))
        lines = []
        for i, (called, line_benefit, paid) in enumerate(data["lines"]):
            month = (first_month + timedelta(days=32 * i)).replace(day=1)
            RentAccountLine.objects.create(lease=lease, month=month, amount_called=called,
                                           housing_benefit=line_benefit, amount_paid=paid)
            lines.append(MonthLine(month, called, line_benefit, paid))
        expected_lease_debt[lease.pk] = arrears(lines)
        created.append((lease, data, benefit, lines))
    current, current_data, current_benefit, _lines = created[-1]  # the latest signed
    ages = [budget.Person(1985)] + [budget.Person(today.year - 3 - 4 * n) for n in range(children)]
    expected = budget.figures(budget.BudgetInput(
        resources=sum(resources[:3], D(0)),
        housing=budget.Housing(rent=current_data["rent"], charges=current_data["charges"],
                               housing_benefit=current_benefit,
                               benefit_paid_to_landlord=current_data["recipient"] == "landlord"),
        units=budget.consumption_units(ages, today), fixed_charges=charge, debt_repayments=repayment))
    expected_debt = sum(expected_lease_debt.values(), D(0))

    # Household file.
    fresh = Household.objects.prefetch_related("members", "resources", "leases").get(pk=household.pk)
    shown = household_figures(fresh)
    assert (shown.budget.effort_rate, shown.budget.remaining, shown.debt.amount) == (
        expected.effort_rate, expected.remaining, expected_debt)
    # COPIL dossier.
    item = AgendaItemFactory(household=household, session=SessionFactory(held_on=today))
    summary = dossier_summary(item)
    assert (summary.effort_before, summary.figures.remaining, summary.debt.amount) == (
        expected.effort_rate, expected.remaining, expected_debt)
    # DSF pre-fill.
    prefill = dsf_prefill_for(household.pk)
    assert (prefill["effort_rate"], prefill["remaining_income"], prefill["remaining_income_per_unit"],
            prefill["remaining_income_per_day_per_unit"], prefill["rent_debt"]) == (
        expected.effort_rate, expected.remaining.monthly, expected.remaining.per_unit,
        expected.remaining.per_day_per_unit, expected_debt)
    # Procedure page (per lease) and the procedure list's cached debt.
    for lease, _data, _benefit, lines in created:
        procedure = ProcedureFactory(lease=lease)
        refresh_procedure_debts([lease.pk])
        procedure.refresh_from_db()
        debt = lease_debt(lease.pk)
        if lines:
            assert debt.amount == procedure.current_debt == expected_lease_debt[lease.pk]
        else:
            assert debt is None
    # Early warning: the debt a warning carries is its lease's arrears.
    early_warnings_detect(today=today)
    for warning in EarlyWarning.objects.filter(household=household):
        lines = next(lines for lease, _d, _b, lines in created if lease.pk == warning.lease_id)
        assert warning.debt == debt_series(lines)[-1].debt == expected_lease_debt[warning.lease_id]
    # Quarterly report: household arrears in SQL, and the entry figures it reads.
    in_sql = Household.objects.filter(pk=household.pk).annotate(d=household_arrears_sql()).get().d
    assert Decimal(in_sql).quantize(D("0.01")) == expected_debt  # SQLite sums in floating point
    # The report's set-based twin (every household at once), at today and before the third month.
    cut = (first_month + timedelta(days=64)).replace(day=1)
    expected_before = sum((arrears([line for line in lines if line.month < cut]) for _l, _d, _b, lines in created),
                          D(0))
    assert set_based_arrears(household.pk, on=today, before=cut) == (expected_debt, expected_before)
    frozen = figures_freeze(household=household, moment=FrozenFigures.Moment.ENTRY, by=None, taken_on=today)
    assert (frozen.effort_rate, frozen.remaining_income, frozen.remaining_per_unit, frozen.rent_debt) == (
        expected.effort_rate, expected.remaining.monthly, expected.remaining.per_unit, expected_debt)
