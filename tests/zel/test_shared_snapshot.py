"""Read-only work on several connections that see one snapshot (zel.lib.shared_snapshot): a report's
figures computed at once on the database's cores all describe the same instant."""

import threading

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError

from accounts.models import Territory
from zel.lib.shared_snapshot import run_in_snapshot


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("snapshots are exported by PostgreSQL (DATABASE_URL=postgres://…)")


def _commit_elsewhere(code: str) -> None:
    """A territory created and committed by another session, as a user would during a report."""
    def create():
        from django.db import connection as other

        Territory.objects.create(code=code, name="Créé pendant le calcul")
        other.close()

    thread = threading.Thread(target=create)
    thread.start()
    thread.join(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_tasks_run_on_as_many_connections_and_come_back_in_order():
    _needs_postgresql()
    caller = _backend_pid()
    # The first two tasks wait for each other: one worker cannot take every task before the other
    # has started, as it may with tasks this short.
    both_started = threading.Barrier(2, timeout=30)

    def task(k: int):
        if k < 2:
            both_started.wait()
        return k, _backend_pid()

    results = run_in_snapshot([lambda k=k: task(k) for k in range(6)], alias="default", workers=2)
    assert [k for k, _pid in results] == list(range(6))
    pids = {pid for _k, pid in results}
    assert len(pids) == 2 and caller not in pids
    with connection.cursor() as cursor:  # the threads' connections closed with them
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)])
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_a_commit_made_while_the_tasks_run_is_not_seen_by_them():
    _needs_postgresql()
    seen = run_in_snapshot([lambda: _commit_elsewhere("99"), lambda: Territory.objects.filter(code="99").exists()],
                           alias="default", workers=1)
    assert seen[1] is False  # committed after the snapshot was taken
    assert Territory.objects.filter(code="99").exists()  # but committed


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_stops_the_run_and_its_error_reaches_the_caller():
    _needs_postgresql()
    with pytest.raises(InternalError, match="read-only"):
        run_in_snapshot([lambda: Territory.objects.create(code="98", name="Écriture refusée")] * 3,
                        alias="default", workers=2)
    assert not Territory.objects.filter(code="98").exists()


@pytest.mark.django_db
def test_inside_a_transaction_the_tasks_run_in_order_on_the_caller_s_connection():
    # Another connection would not see the rows this transaction has not committed.
    Territory.objects.create(code="97", name="Pas encore validé")
    with transaction.atomic():
        seen = run_in_snapshot([lambda: Territory.objects.filter(code="97").exists()] * 2, alias="default", workers=2)
    assert seen == [True, True]


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_tasks_sort_in_the_memory_given_and_the_application_s_connections_keep_the_server_s():
    _needs_postgresql()
    server = _setting("work_mem")
    given = "96MB" if server != "96MB" else "97MB"
    seen = run_in_snapshot([lambda: _setting("work_mem")] * 2, alias="default", workers=2, work_mem=given)
    assert seen == [given, given]
    assert _setting("work_mem") == server
    assert run_in_snapshot([lambda: _setting("work_mem")], alias="default", workers=1) == [server]
