"""One scale, in its own process (one database per scale): migrate, seed if needed, measure pages.

    python -m bench.run_scale --scale 100k --pages list,search --runs 30 --out var/bench/100k.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def setup(scale: str, *, reseed: bool = False) -> bool:
    """Point Django at the scale's database (created if missing) and set it up. Must run before
    anything imports Django settings."""
    from . import db

    url = db.url_for_scale(scale)
    created = db.ensure_database(url, drop=reseed)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zel.settings")
    # The bench logs in programmatically: no TOTP step, no lockout, no noisy logs.
    os.environ.setdefault("ZEL_OTP_ENFORCED", "False")
    os.environ.setdefault("AXES_ENABLED", "False")
    os.environ.setdefault("ZEL_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    return created


def prepare(scale: str, *, reseed: bool = False, log=print) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from . import db, seed

    created = setup(scale, reseed=reseed)
    log(f"[{scale}] database {connection.settings_dict['NAME']}{' (created)' if created else ''}: migrate")
    call_command("migrate", verbosity=0, interactive=False)
    timings = seed.ensure_seeded(db.parse_scale(scale), log=lambda m: log(f"[{scale}] {m}"))
    seed.ensure_extras(db.parse_scale(scale), log=lambda m: log(f"[{scale}] {m}"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return {"seed_seconds": timings, "postgres": version, "rows": seed.table_counts()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", required=True)
    parser.add_argument("--pages", default="")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    def log(message):
        print(message, file=sys.stderr, flush=True)

    info = prepare(args.scale, reseed=args.reseed, log=log)
    from django.conf import settings

    from . import pages

    settings.DEBUG = False  # no query log kept between requests, as in production
    keys = [k for k in args.pages.split(",") if k] or list(pages.PAGES)
    bench = pages.Bench(args.scale, args.runs)
    results = []
    for key in keys:
        if key not in pages.PAGES:
            continue
        started = time.monotonic()
        result = pages.run_page(key, bench)
        log(f"[{args.scale}] {result.page:<32} {result.status:<8} "
            f"p50 {result.median_ms or 0:8.1f} ms  p95 {result.p95_ms or 0:8.1f} ms  "
            f"q {result.queries if result.queries is not None else '-':>3}  floor {result.floor_ms or 0:7.1f} ms"
            f"  ({time.monotonic() - started:.0f} s)")
        results.append(result.as_dict())
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"scale": args.scale, **info, "results": results}, indent=1,
                                         default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
