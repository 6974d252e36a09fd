"""One run at a time for the beat jobs (zel.locks, issue 20): a second run while the first holds
the job's advisory lock returns at once, says so in the log, and does nothing."""

import logging
import threading
from contextlib import contextmanager

import pytest
from django.db import connection

from zel.locks import lock_key, single_run

pytestmark = pytest.mark.django_db


@contextmanager
def held_elsewhere(name: str):
    """Holds the lock `name` from another thread (another database session) during the block."""
    held, release = threading.Event(), threading.Event()

    def hold():
        from django.db import connection as thread_connection

        with single_run(name) as acquired:
            assert acquired
            held.set()
            release.wait(timeout=60)
        thread_connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(timeout=30)
    try:
        yield
    finally:
        release.set()
        thread.join(timeout=30)


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks need PostgreSQL (DATABASE_URL=postgres://…)")


def test_a_second_holder_is_refused_until_the_first_releases(caplog):
    _needs_postgresql()
    with held_elsewhere("tests.job"), caplog.at_level(logging.INFO, logger="zel.jobs"):
        with single_run("tests.job") as acquired:
            assert not acquired
        with single_run("tests.other-job") as acquired:
            assert acquired  # one lock per job
    assert "tests.job skipped" in caplog.text
    with single_run("tests.job") as acquired:
        assert acquired
    with connection.cursor() as cursor:  # released on the way out
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s",
                       [lock_key("tests.job") & 0xFFFFFFFF])
        assert cursor.fetchone()[0] == 0


def _retention():
    from households.retention import apply_retention

    return apply_retention().skipped


def _refresh():
    from litigation.services import procedures_refresh_stale

    return procedures_refresh_stale() == 0


def _digest():
    from litigation.digest import send_deadline_digest

    return send_deadline_digest() == 0


def _warnings():
    from litigation.services import early_warnings_detect

    return early_warnings_detect() == 0


def _quarterly():
    from reports.tasks import enqueue_quarterly_reports

    return enqueue_quarterly_reports() == 0


@pytest.mark.parametrize(("lock", "run"), [
    ("reports.quarterly", _quarterly),
    ("households.retention", _retention), ("litigation.procedures_refresh", _refresh),
    ("litigation.deadline_digest", _digest), ("litigation.early_warnings", _warnings)])
def test_each_daily_job_skips_while_another_run_holds_its_lock(lock, run, caplog):
    _needs_postgresql()
    with held_elsewhere(lock), caplog.at_level(logging.INFO, logger="zel.jobs"):
        assert run()
    assert f"job {lock} skipped" in caplog.text
