"""Benchmark (not a test): time and peak memory of the quarterly report at 10 000 and 100 000 households.

    .venv/bin/python bench/bench_report.py --database-url postgres://postgres@127.0.0.1:5432/zel_bench \
        --scales 10000 100000 [--quarter 2025Q4]

Seeds the database up to each scale with the demo seeders (households, then support, copil, litigation),
then computes the figures of the programme-wide report (the largest scope) and renders its PDF.
Prints markdown table rows. `run(scale)` is the importable entry point for the `make bench` harness
(Django must already be set up on the benchmark database).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_APPS = ["support", "copil", "litigation", "reports"]
HEADER = ("| households | figures (s) | PDF (s) | total (s) | SQL queries | peak Python memory (MiB) "
          "| max RSS (MiB) |\n|---:|---:|---:|---:|---:|---:|---:|")


def _setup(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zel.settings")
    import django

    django.setup()


def seed_up_to(scale: int, stdout=None) -> int:
    """Add demo households (and the other apps' demo data for them) until the database holds `scale`."""
    from django.db import transaction

    from households import demo
    from households.models import Household

    existing = Household.objects.count()
    missing = scale - existing
    if missing <= 0:
        return existing
    with transaction.atomic():
        if demo.demo_loaded():
            import random
            from datetime import date

            from faker import Faker

            from accounts.models import Organisation, User

            fake = Faker("fr_FR")
            fake.seed_instance(scale)
            ctx = demo.DemoContext(rng=random.Random(scale), faker=fake, today=date.today(),  # noqa: DTZ011
                                   users={u.username: u for u in User.objects.all()},
                                   organisations={o.code: o for o in Organisation.objects.all()}, stdout=stdout)
            demo.seed_households(ctx, missing)
        else:
            ctx = demo.seed(households=missing, stdout=stdout, seed_value=scale)
        for app in DEMO_APPS:
            if importlib.util.find_spec(f"{app}.demo"):
                importlib.import_module(f"{app}.demo").seed(ctx)
    return Household.objects.count()


def _count(scale: int | str) -> int:
    if isinstance(scale, int):
        return scale
    lowered = scale.strip().lower()
    for suffix, factor in (("k", 1_000), ("m", 1_000_000)):
        if lowered.endswith(suffix):
            return int(float(lowered[:-1]) * factor)
    return int(lowered)


def run(scale: int | str, quarter: str = "2025Q4", *, seed: bool = True) -> dict:
    """Seed up to `scale` households (10000 or "10k"; nothing to do when the harness already seeded),
    build the programme-wide report once; return the measures."""
    scale = _count(scale)
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reports import rendering
    from reports.indicators import compute
    from reports.services import budget_figures
    from zel.lib.pdf import render_pdf

    households = seed_up_to(scale) if seed else None
    reset_queries()
    tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        figures = compute(quarter, None)
        figures["scope"] = {"territory": None, "label": "Ensemble du programme", "funder": None}
        figures["previous"] = {"quarter": "", "source": "", "rows": {}}
        figures["budget"] = budget_figures(int(quarter[:4]))
    figures_done = time.perf_counter()
    pdf = render_pdf("pdf/report_quarterly.html",
                     rendering.context(figures, scope_label="Ensemble du programme",
                                       generated_on=timezone.localdate()))
    finished = time.perf_counter()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "scale": scale, "households": households, "figures_s": round(figures_done - started, 2),
        "pdf_s": round(finished - figures_done, 2), "total_s": round(finished - started, 2),
        "queries": len(queries.captured_queries), "peak_mib": round(peak / 2**20, 1),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "pdf_bytes": len(pdf),
    }


def row(result: dict) -> str:
    return (f"| {result['households'] or result['scale']:,} | {result['figures_s']} | {result['pdf_s']} | "
            f"{result['total_s']} | {result['queries']} | {result['peak_mib']} | {result['max_rss_mib']} |"
            ).replace(",", "\u202f")


def main(argv: list[str] | None = None) -> None:
    """Each scale in its own database (<name>_10k, <name>_100k: seeding adds to what is there) and
    its own process (so the memory measured is that scale's)."""
    import json
    import subprocess

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("ZEL_BENCH_DATABASE_URL"),
                        help="Base URL of the benchmark databases (never your working database).")
    parser.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--quarter", default="2025Q4")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or ZEL_BENCH_DATABASE_URL) is required: the benchmark adds demo data.")
    if args.one:
        _setup(args.database_url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(json.dumps(run(args.one, args.quarter)))
        return
    sys.path.insert(0, str(ROOT))
    from bench import db

    print(HEADER, flush=True)
    for scale in sorted(args.scales):
        url = f"{args.database_url}_{scale // 1000}k"
        db.ensure_database(url)
        out = subprocess.run([sys.executable, __file__, "--one", str(scale), "--database-url", url,
                              "--quarter", args.quarter], capture_output=True, text=True, check=True)
        print(row(json.loads(out.stdout.strip().splitlines()[-1])), flush=True)


if __name__ == "__main__":
    main()
