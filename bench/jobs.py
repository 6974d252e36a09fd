"""The daily early-warning job on a seeded bench database: time, peak memory, statements.

    python -m bench.jobs postgres://postgres@127.0.0.1:5432/zel_bench_100k
    python -m bench.jobs                       # the database of DATABASE_URL

`measure_early_warnings(alias_or_db_url)` is what `make bench` calls. By default the run is rolled
back, so the bench database is left as it was and a second measure sees the same work.
"""

from __future__ import annotations

import os
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


def measure_early_warnings(alias_or_db_url: str = "default", *, today: date | None = None,
                           keep: bool = False) -> dict:
    """Runs `litigation.services.early_warnings_detect` once on that database and returns
    {"seconds", "peak_mb" (Python allocations, tracemalloc), "created", "statements",
    "longest_statement" (characters), "rent_lines", "leases", "database"}. `keep=True` commits the
    warnings it creates; otherwise everything is rolled back."""
    _setup_django(alias_or_db_url)
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from litigation.models import RentAccountLine
    from litigation.services import early_warnings_detect

    with _default_database(alias_or_db_url) as connection:
        lines = RentAccountLine.objects.count()
        leases = RentAccountLine.objects.values("lease_id").distinct().count()
        result: dict = {}
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                tracemalloc.start()
                started = time.perf_counter()
                try:
                    result["created"] = early_warnings_detect(today=today)
                finally:
                    result["seconds"] = round(time.perf_counter() - started, 2)
                    result["peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                    tracemalloc.stop()
                if not keep:
                    raise _Rollback
        except _Rollback:
            pass
        result.update(statements=len(queries), longest_statement=max((len(q["sql"]) for q in queries), default=0),
                      rent_lines=lines, leases=leases, database=connection.settings_dict["NAME"])
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    targets = [arg for arg in args if not arg.startswith("--")]
    target = targets[0] if targets else os.environ.get("DATABASE_URL", "default")
    result = measure_early_warnings(target, keep="--keep" in args)
    print(f"early warnings on {result['database']}: {result['seconds']} s, {result['peak_mb']} MB peak, "
          f"{result['created']} created, {result['statements']} statements (longest {result['longest_statement']} "
          f"characters), {result['leases']} leases, {result['rent_lines']} rent lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
