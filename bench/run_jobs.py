"""The daily early-warning job at one scale, alone in a fresh process: `bench.jobs.measure_early_warnings`
when the jobs branch has landed (its run is rolled back: the data stays as seeded), else
`litigation.services.early_warnings_detect` timed here the same way, in a transaction rolled back.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path


class _Rollback(Exception):
    pass


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _detect_here() -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from litigation.services import early_warnings_detect

    out: dict = {}
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            out["created"] = early_warnings_detect()
            out["seconds"] = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    out["statements"] = len(queries)
    out["sql_s"] = sum(float(q["time"]) for q in queries.captured_queries)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    from .measure import Result
    from .run_scale import setup

    setup(args.scale)
    result = Result(page="early-warning job (daily)", scale=args.scale, persona="(job)")
    try:
        if importlib.util.find_spec("bench.jobs"):
            from . import jobs

            measured = jobs.measure_early_warnings("default")
            result.note = "bench.jobs.measure_early_warnings"
        else:
            measured = _detect_here()
            result.note = "litigation.services.early_warnings_detect (bench.jobs not landed)"
        result.requests = 1
        result.median_ms = result.p95_ms = measured["seconds"] * 1000
        result.queries = measured.get("statements")
        if "sql_s" in measured:
            result.sql_ms = result.floor_ms = measured["sql_s"] * 1000
        result.peak_mb = _peak_mb()
        result.extra = {k: v for k, v in measured.items() if k not in ("seconds",)}
    except Exception as exc:
        result.status = f"error: {type(exc).__name__}: {exc}"[:300]
    result.extra["key"] = "early_warnings"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result.as_dict(), indent=1, default=str))
    print(f"[{args.scale}] early-warning job: {result.status} {result.median_ms or 0:.0f} ms, "
          f"peak RSS {result.peak_mb or 0:.0f} MB, {result.queries} statements ({result.note})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
