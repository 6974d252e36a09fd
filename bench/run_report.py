"""The quarterly report at one scale, alone in a fresh process so its peak memory is its own.

Calls `bench.bench_report.run(scale) -> dict` (written by the reports app); peak memory is the
process' peak resident set (VmHWM) minus what Django took before the call.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    from .measure import Result
    from .pages import NOT_BUILT
    from .run_scale import setup

    setup(args.scale)
    result = Result(page="quarterly report", scale=args.scale, persona="(service)")
    if not importlib.util.find_spec("bench.bench_report"):
        result.status = NOT_BUILT
    else:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from . import bench_report

        baseline = _rss_mb("VmRSS")
        try:
            with CaptureQueriesContext(connection) as capture:
                started = time.perf_counter()
                outcome = bench_report.run(args.scale)
                elapsed = time.perf_counter() - started
            result.requests = 1
            result.median_ms = result.p95_ms = elapsed * 1000
            result.queries = len(capture.captured_queries)
            result.sql_ms = sum(float(q["time"]) for q in capture.captured_queries) * 1000
            result.peak_mb = _rss_mb("VmHWM")
            result.extra = {"baseline_rss_mb": baseline,
                            "report": outcome if isinstance(outcome, dict) else str(outcome)}
            selects = [q for q in capture.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
            if selects:
                main_query = max(selects, key=lambda q: float(q["time"]))
                result.floor_ms = float(main_query["time"]) * 1000
                result.main_sql = main_query["sql"]
        except Exception as exc:
            result.status = f"error: {type(exc).__name__}: {exc}"[:300]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result.as_dict(), indent=1, default=str))
    print(f"[{args.scale}] quarterly report: {result.status} {result.median_ms or 0:.0f} ms, "
          f"peak RSS {result.peak_mb or 0:.0f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
