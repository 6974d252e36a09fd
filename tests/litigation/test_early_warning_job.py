"""The daily early-warning job at scale (issue 20): set-based, idempotent, one run at a time.

The threshold and growth rules have two executions: the pure one in litigation.rent (the reference,
shown on pages) and its SQL twin in litigation.arrears that the job runs over every lease. The
property test below keeps them one truth: on random rent histories both flag the same leases, for the
same month and the same debt.
"""

import logging
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litigation import services
from litigation.arrears import early_warning_rows
from litigation.integrations import supported_households
from litigation.models import EarlyWarning, RentAccountLine
from litigation.rent import MonthLine, became_constituted, debt_series, grew_two_months_in_a_row
from tests.factories import LeaseFactory
from zel.locks import single_run

D = Decimal
MAX_STATEMENT = 20_000


def _month(today: date, back: int) -> date:
    month = today.replace(day=1)
    for _ in range(back):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def _debt_history(lease, today: date, payments: list[str]) -> None:
    """Lines of 530 € called, 150 € of benefit (380 € due), ending this month, with these payments."""
    months = [_month(today, back) for back in range(len(payments) - 1, -1, -1)]
    RentAccountLine.objects.bulk_create([
        RentAccountLine(lease=lease, month=month, amount_called=D("530"), housing_benefit=D("150"),
                        amount_paid=D(paid)) for month, paid in zip(months, payments, strict=True)])


def _expected(lines_by_lease: dict[int, list[MonthLine]], since: date) -> set[tuple]:
    """What litigation.rent says: (lease, kind, month, debt, debt two lines before for a growth)."""
    expected = set()
    for lease_id, lines in lines_by_lease.items():
        series = debt_series(lines)
        if not series or series[-1].month < since:
            continue
        last = series[-1]
        if became_constituted(series):
            expected.add((lease_id, "threshold", last.month, last.debt, None))
        if grew_two_months_in_a_row(series):
            expected.add((lease_id, "growing", last.month, last.debt, series[-3].debt))
    return expected


# ---------------------------------------------------------------------------------------------
# One truth: the SQL twin agrees with the pure rule
# ---------------------------------------------------------------------------------------------

# Round amounts often, so that "debt = exactly twice the rent" and "debt unchanged" are drawn.
amount = st.one_of(st.sampled_from([0, 19000, 38000, 53000, 76000]), st.integers(0, 150_000)).map(
    lambda cents: D(cents) / 100)
line = st.tuples(st.integers(1, 3),  # months since the previous line (gaps happen in exports)
                 amount, st.one_of(st.just(D(0)), amount),  # called, benefit (may exceed the call)
                 st.one_of(amount, st.integers(-50_000, 0).map(lambda c: D(c) / 100)))  # paid (a reversal)
history = st.lists(line, min_size=0, max_size=8)


@pytest.fixture(autouse=True)
def _territories(reference_data):
    """The territories the factories use (a transactional test elsewhere may have flushed them)."""


@pytest.fixture
def pool(db):
    return [LeaseFactory() for _ in range(4)]


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(histories=st.lists(history, min_size=4, max_size=4), first=st.integers(0, 12), since_back=st.integers(0, 6))
def test_sql_detection_agrees_with_the_rent_rules(pool, histories, first, since_back):
    today = date(2026, 11, 15)
    since = _month(today, since_back)
    RentAccountLine.objects.filter(lease__in=pool).delete()
    rows, lines_by_lease = [], {}
    for lease, lines in zip(pool, histories, strict=True):
        month = _month(today, first + sum(gap for gap, *_ in lines))
        lines_by_lease[lease.pk] = []
        for gap, called, benefit, paid in lines:
            for _ in range(gap):
                month = (month + timedelta(days=32)).replace(day=1)
            rows.append(RentAccountLine(lease=lease, month=month, amount_called=called, housing_benefit=benefit,
                                        amount_paid=paid))
            lines_by_lease[lease.pk].append(MonthLine(month, called, benefit, paid))
    RentAccountLine.objects.bulk_create(rows)
    found = early_warning_rows(since=since, lease_from=min(lines_by_lease), lease_to=max(lines_by_lease) + 1,
                               exclude_households=supported_households())
    assert {(r.lease_id, r.kind, r.month, r.debt, r.debt_two_lines_before if r.kind == "growing" else None)
            for r in found} == _expected(lines_by_lease, since)


# ---------------------------------------------------------------------------------------------
# The job
# ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_warnings_carry_the_month_the_debt_and_a_french_detail():
    today = timezone.localdate()
    lease = LeaseFactory()
    _debt_history(lease, today, ["380.00", "0.00", "0.00"])  # 0, 380, 760 = 2 × 380
    assert services.early_warnings_detect(today=today) == 2
    threshold = EarlyWarning.objects.get(kind="threshold")
    growing = EarlyWarning.objects.get(kind="growing")
    assert (threshold.lease, threshold.household, threshold.debt) == (lease, lease.household, D("760.00"))
    assert threshold.period_key == growing.period_key == today.strftime("%Y-%m")
    assert threshold.detail == f"Dette de 760,00\xa0€ fin {today:%m/%Y}."
    assert growing.detail == "Dette passée de 0,00\xa0€ à 760,00\xa0€."


@pytest.mark.django_db
def test_rerunning_the_job_adds_nothing_and_a_new_month_warns_again():
    today = timezone.localdate()
    lease = LeaseFactory()
    _debt_history(lease, today, ["380.00", "0.00", "0.00"])
    assert services.early_warnings_detect(today=today) == 2
    assert services.early_warnings_detect(today=today) == 0
    assert services.early_warnings_detect(today=today + timedelta(days=1)) == 0
    RentAccountLine.objects.create(lease=lease, month=(today.replace(day=1) + timedelta(days=32)).replace(day=1),
                                   amount_called=D("530"), housing_benefit=D("150"), amount_paid=D(0))
    assert services.early_warnings_detect(today=today + timedelta(days=31)) == 1  # still growing; no new crossing
    assert EarlyWarning.objects.filter(kind="growing").count() == 2


@pytest.mark.django_db
def test_leases_whose_account_stopped_months_ago_are_not_warned():
    today = timezone.localdate()
    lease = LeaseFactory()
    _debt_history(lease, _month(today, 6), ["380.00", "0.00", "0.00"])
    assert services.early_warnings_detect(today=today) == 0


def _world(leases: int, today: date, *, warned: int = 2):
    """`leases` leases with a year of clean rent account, `warned` of them falling into debt."""
    created = [LeaseFactory() for _ in range(leases)]
    for index, lease in enumerate(created):
        _debt_history(lease, today, ["380.00"] * 9 + (["380.00", "0.00", "0.00"] if index < warned else ["380.00"] * 3))
    return created


@pytest.mark.django_db
def test_the_job_issues_the_same_short_statements_for_10_and_100_leases():
    today = timezone.localdate()
    counts = []
    for leases in (10, 100):
        EarlyWarning.objects.all().delete()
        RentAccountLine.objects.all().delete()
        _world(leases, today)
        with CaptureQueriesContext(connection) as queries:
            assert services.early_warnings_detect(today=today) == 4
        counts.append(len(queries))
        assert max(len(q["sql"]) for q in queries) < MAX_STATEMENT
    # lock, count, lease id bounds, (savepoint, detection, insert, release) for the one range of ids,
    # (savepoint, steps, release), count, unlock
    assert counts[0] == counts[1] <= 14


@pytest.mark.django_db
def test_many_new_warnings_are_inserted_in_short_statements(monkeypatch):
    today = timezone.localdate()
    monkeypatch.setattr(services, "LEASES_PER_BATCH", 50)  # several ranges of leases, each committed
    _world(150, today, warned=150)
    with CaptureQueriesContext(connection) as queries:
        assert services.early_warnings_detect(today=today) == 300
    assert max(len(q["sql"]) for q in queries) < MAX_STATEMENT
    assert EarlyWarning.objects.count() == 300


# ---------------------------------------------------------------------------------------------
# Two workers at once
# ---------------------------------------------------------------------------------------------

def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent runs need PostgreSQL (DATABASE_URL=postgres://…): SQLite serialises writes")


def _in_threads(*targets):
    """Runs each target in its own thread (its own database connection), all released together."""
    start, results, errors = threading.Barrier(len(targets)), {}, []

    def run(index, target):
        from django.db import connection as thread_connection

        try:
            start.wait()
            results[index] = target()
        except Exception as exc:  # noqa: BLE001 - re-raised in the test below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return [results[i] for i in range(len(targets))]


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_create_each_warning_once():
    _needs_postgresql()
    today = timezone.localdate()
    _world(30, today, warned=10)
    results = _in_threads(lambda: services.early_warnings_detect(today=today),
                          lambda: services.early_warnings_detect(today=today))
    assert sum(results) == 20 and EarlyWarning.objects.count() == 20


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_two_detections_still_create_each_warning_once():
    _needs_postgresql()
    today = timezone.localdate()
    _world(30, today, warned=10)
    _in_threads(lambda: services._detect_arrears_warnings(today), lambda: services._detect_arrears_warnings(today))
    assert EarlyWarning.objects.count() == 20
    assert EarlyWarning.objects.values("lease", "kind", "period_key").distinct().count() == 20


@pytest.mark.django_db(transaction=True)
def test_a_second_run_skips_while_the_first_holds_the_lock(caplog):
    _needs_postgresql()
    today = timezone.localdate()
    _world(5, today, warned=1)
    held, release = threading.Event(), threading.Event()

    def first_run():
        from django.db import connection as thread_connection

        with single_run(services.EARLY_WARNINGS_LOCK) as acquired:
            assert acquired
            held.set()
            release.wait(timeout=30)
        thread_connection.close()

    thread = threading.Thread(target=first_run)
    thread.start()
    assert held.wait(timeout=30)
    with caplog.at_level(logging.INFO, logger="zel.jobs"):
        assert services.early_warnings_detect(today=today) == 0
    assert "litigation.early_warnings skipped" in caplog.text
    assert not EarlyWarning.objects.exists()
    release.set()
    thread.join(timeout=30)
    assert services.early_warnings_detect(today=today) == 2  # the lock is free again


@pytest.mark.django_db
def test_a_new_procedure_step_warns_once_unless_the_household_is_in_support(personas, households):
    """The step pass: an act of the last month recorded since yesterday warns about a tenant not in
    support (an anti-join, checked here on both sides), once however many runs."""
    from tests.litigation.factories import ProcedureFactory
    from tests.support.factories import EpisodeFactory

    today = timezone.localdate()
    followed = households.mine
    EpisodeFactory(household=followed, opened_on=today - timedelta(days=100))
    for household in (households.other, followed):
        procedure = ProcedureFactory(lease=household.current_lease())
        services.event_record(procedure=procedure, by=personas.litigation_x, type="commandement_de_payer",
                              occurred_on=today - timedelta(days=3))
    services.early_warnings_detect(today=today)
    services.early_warnings_detect(today=today)
    steps = EarlyWarning.objects.filter(kind=EarlyWarning.Kind.NEW_STEP)
    assert list(steps.values_list("household_id", flat=True)) == [households.other.pk]
