"""Reports read from a real streaming replica (docs/scaling.md, "Read replica for reports").

The application runs in a subprocess whose DATABASE_URL is a throwaway primary and whose
DATABASE_REPLICA_URL is that primary's hot standby (tests/infra/replica.py): Django's test database
is on the shared server, which cannot be made a replication primary, and a fresh process reads the
settings exactly as production does (the router, the `replica` alias), with no settings patched
inside pytest's process. `migrate` and `seed_demo` run there on the primary; the probe then builds a
report with `build_report` and a dashboard snapshot, once the standby has replayed the primary's WAL.
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.utils import timezone

from reports import quarters
from tests.infra.replica import commit_to_standby_lag, copy_schema, skip_or_fail, streaming_replica, wait_for_replay

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("replica_probe.py")
DATABASE = "zel_replica_probe"
# For pytest-django to create the test database, whose schema the throwaway primary copies.
pytestmark = pytest.mark.django_db


def _run(env: dict, *args: str, timeout: int = 300) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def replica_app(django_db_setup):
    """The pair of servers, with the application's schema and demo data loaded on the primary."""
    from django.db import connection

    if connection.vendor != "postgresql":
        skip_or_fail("the replica test needs the test database on PostgreSQL (its schema is copied)")
    with streaming_replica() as cluster:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "ZEL_S3_"))}
        env.update(DATABASE_URL=cluster.primary_url(DATABASE), DATABASE_REPLICA_URL=cluster.standby_url(DATABASE),
                   DJANGO_SETTINGS_MODULE="zel.settings", ZEL_LOG_LEVEL="WARNING")
        for key in ("CELERY_BROKER_URL", "REDIS_URL", "ZEL_CACHE_URL"):
            env.pop(key, None)  # tasks run eagerly in the subprocess
        if not copy_schema(cluster, connection.settings_dict, DATABASE):
            with psycopg.connect(cluster.primary_url().replace("postgres://", "postgresql://", 1),
                                 autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {DATABASE}")
        _run(env, str(PROBE), "prepare")
        yield cluster, env


def test_a_report_is_read_from_the_standby_and_gives_the_primary_s_figures(replica_app, tmp_path):
    cluster, env = replica_app
    catch_up = wait_for_replay(cluster, DATABASE)
    lags = commit_to_standby_lag(cluster)
    print(f"\nstandby: replayed the demo load {catch_up * 1000:.0f} ms after it ended; a commit visible on "
          f"the standby after {statistics.median(lags) * 1000:.1f} ms (median of {len(lags)}, "
          f"max {max(lags) * 1000:.1f} ms)")
    quarter = quarters.previous(quarters.of(timezone.localdate()))
    result = json.loads(_run({**env, "ZEL_MEDIA_ROOT": str(tmp_path)}, str(PROBE), "report", quarter).splitlines()[-1])

    # The `replica` alias is the standby (in recovery, its own port), `default` the primary.
    assert result["replica"] == {"in_recovery": True, "port": cluster.standby_port}
    assert result["default"] == {"in_recovery": False, "port": cluster.primary_port}
    # The report's figures were read on the standby; the primary only saw the report's bookkeeping.
    assert result["report"]["status"] == "done"
    assert result["report"]["selects_on_replica"] > 50
    # On several standby connections at once, every one in the snapshot the first exported.
    assert result["report"]["snapshot_imports_on_replica"] >= 2
    assert result["report"]["household_selects_on_primary"] == []
    # And they are the figures the primary gives.
    assert result["same_figures"] is True
    # The live dashboard's computation reads the standby too.
    assert result["dashboard"]["computed"] is True, result["dashboard"]["error"]
    assert result["dashboard"]["selects_on_replica"] > 50
    assert result["dashboard"]["household_selects_on_primary"] == []
