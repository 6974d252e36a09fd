"""The daily early-warning job on a seeded bench database: time, peak memory, statements.

    python -m bench.jobs postgres://postgres@127.0.0.1:5432/zel_bench_100k
    python -m bench.jobs                       # the database of DATABASE_URL

`measure_early_warnings(alias_or_db_url)` is what `make bench` calls. By default the run is rolled
back, so the bench database is left as it was and a second measure sees the same work.
"""

from __future__ import annotations

import os
import resource
import sys
import time
import tracemalloc
from contextlib import contextmanager
from datetime import date


class _Rollback(Exception):
    pass


@contextmanager
def _default_database(alias_or_db_url: str):
    """Points the default connection at `alias_or_db_url` (a DATABASES alias or a URL) for the
    block: the job writes through the default connection."""
    from django.db import connections

    default = connections["default"]
    if alias_or_db_url in ("", "default"):
        yield default
        return
    if "://" in alias_or_db_url:
        import environ

        wanted = environ.Env.db_url_config(alias_or_db_url)
    else:
        wanted = connections[alias_or_db_url].settings_dict
    saved = dict(default.settings_dict)
    default.close()
    default.settings_dict.update({key: wanted[key] for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")
                                  if key in wanted})
    try:
        yield default
    finally:
        default.close()
        default.settings_dict.clear()
        default.settings_dict.update(saved)


def _setup_django(alias_or_db_url: str) -> None:
    from django.conf import settings

    if settings.configured:
        return
    if "://" in alias_or_db_url:
        os.environ["DATABASE_URL"] = alias_or_db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zel.settings")
    os.environ.setdefault("ZEL_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _run(job, connection, *, keep: bool, trace: bool) -> dict:
    """One run of `job` in a transaction (rolled back unless `keep`). The traced run also records its
    statements; the timed one does not (the debug cursor formats every statement's parameters)."""
    from contextlib import nullcontext

    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    result: dict = {}
    capture = CaptureQueriesContext(connection) if trace else nullcontext([])
    try:
        with transaction.atomic(), capture as queries:
            if trace:
                tracemalloc.start()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            try:
                result["created"] = job()
            finally:
                result["seconds"] = round(time.perf_counter() - started, 2)
                # ru_maxrss is in kB on Linux: how much the process's peak grew during the run.
                result["rss_growth_mb"] = round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                                 - rss_before) / 1024, 1)
                if trace:
                    result["peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                    tracemalloc.stop()
            if not keep:
                raise _Rollback
    except _Rollback:
        pass
    if trace:
        result.update(statements=len(queries), longest_statement=max((len(q["sql"]) for q in queries), default=0))
    return result


def measure_early_warnings(alias_or_db_url: str = "default", *, today: date | None = None,
                           keep: bool = False) -> dict:
    """Runs `litigation.services.early_warnings_detect` on that database and returns {"seconds",
    "rss_growth_mb", "peak_mb", "created", "statements", "longest_statement" (characters),
    "rent_lines", "leases", "database"}.

    Two runs: the first is timed (no tracing: tracemalloc slows Python down several times), the
    second gives "peak_mb", the peak of Python allocations (tracemalloc). `keep=True` commits what
    the first run creates (the traced run then measures a re-run); otherwise both are rolled back
    and the database is left as it was."""
    _setup_django(alias_or_db_url)
    from litigation.models import RentAccountLine
    from litigation.services import early_warnings_detect

    def job():
        return early_warnings_detect(today=today)

    with _default_database(alias_or_db_url) as connection:
        result = _run(job, connection, keep=keep, trace=False)
        traced = _run(job, connection, keep=False, trace=True)
        result.update({key: traced[key] for key in ("peak_mb", "statements", "longest_statement")})
        result.update(rent_lines=RentAccountLine.objects.count(),
                      leases=RentAccountLine.objects.values("lease_id").distinct().count(),
                      database=connection.settings_dict["NAME"])
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    targets = [arg for arg in args if not arg.startswith("--")]
    target = targets[0] if targets else os.environ.get("DATABASE_URL", "default")
    result = measure_early_warnings(target, keep="--keep" in args)
    print(f"early warnings on {result['database']}: {result['seconds']} s, {result['peak_mb']} MB peak "
          f"(Python allocations; process peak +{result['rss_growth_mb']} MB), "
          f"{result['created']} created, {result['statements']} statements (longest {result['longest_statement']} "
          f"characters), {result['leases']} leases, {result['rent_lines']} rent lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
