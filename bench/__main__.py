"""`make bench`: seed (once) and measure every scale, then write docs/benchmarks.md.

    python -m bench                                  # 10k and 100k (and 1M with BENCH_SCALE=1M)
    python -m bench --scales 10k --pages list,search # a subset; other rows of the table are kept
    python -m bench --runs 10 --no-write             # quick look, nothing written
    python -m bench --reseed --scales 10k            # drop and seed the 10k database again

Each scale runs in its own process against its own database (BENCH_DATABASE_URL + "_10k"...),
and the quarterly report (`build_report`) and the early-warning job each in another fresh process
so that their peak memory is their own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from . import report

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
# Measured each in a fresh process (their peak memory is their own): key -> module.
FRESH = {"report": "bench.run_report", "early_warnings": "bench.run_jobs"}


def default_scales() -> str:
    scales = ["10k", "100k"]
    extra = os.environ.get("BENCH_SCALE", "").strip()
    if extra and extra not in scales:
        scales.append(extra)
    return ",".join(scales)


def main(argv=None) -> int:
    from .pages import PAGES

    keys = [*PAGES, *FRESH]
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default=default_scales(), help="comma-separated: 10k,100k,1M")
    parser.add_argument("--pages", default="", help=f"comma-separated subset of: {','.join(keys)}")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 30)),
                        help="timed requests per page (default 30)")
    parser.add_argument("--reseed", action="store_true", help="drop the scale's database and seed again")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)

    wanted = [k for k in args.pages.split(",") if k] or keys
    unknown = sorted(set(wanted) - set(keys))
    if unknown:
        parser.error(f"unknown pages: {', '.join(unknown)} (known: {', '.join(keys)})")
    page_keys = [k for k in wanted if k not in FRESH]
    runs = []
    for scale in [s.strip() for s in args.scales.split(",") if s.strip()]:
        out = OUT / f"pages-{scale}.json"
        command = [sys.executable, "-m", "bench.run_scale", "--scale", scale, "--runs", str(args.runs),
                   "--out", str(out), "--pages", ",".join(page_keys) or "none"]
        if args.reseed:
            command.append("--reseed")
        subprocess.run(command, check=True, cwd=ROOT)
        run = json.loads(out.read_text())
        for key, module in FRESH.items():
            if key not in wanted:
                continue
            fresh_out = OUT / f"{key}-{scale}.json"
            subprocess.run([sys.executable, "-m", module, "--scale", scale, "--out", str(fresh_out)],
                           check=True, cwd=ROOT)
            result = json.loads(fresh_out.read_text())
            result.setdefault("extra", {})["key"] = key
            run["results"].append(result)
        runs.append(run)
    table = report.write(runs, write=not args.no_write)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
