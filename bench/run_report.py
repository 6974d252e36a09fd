"""The quarterly report at one scale as users get it, alone in a fresh process so that its peak
memory is its own: `manage.py build_report` (reports.services.report_build: the figures with their
previous-quarter pass, the PDF, its storage) for the last finished quarter, whose rent accounts are
complete (the bench seeds 12 months of lines per lease).

Peak memory is the process' peak resident set (VmHWM), Django's own start included (given apart).
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("--quarter", default="", help="default: the last finished quarter")
    args = parser.parse_args(argv)

    from .measure import Result
    from .run_scale import setup

    setup(args.scale)
    from django.core.management import call_command
    from django.utils import timezone

    from reports import quarters

    quarter = args.quarter or quarters.previous(quarters.of(timezone.localdate()))
    result = Result(page=f"quarterly report {quarter} (build_report)", scale=args.scale, persona="(command)")
    baseline = _rss_mb("VmRSS")
    from zel.lib.statement_log import StatementLog

    statements = StatementLog()
    try:
        started = time.perf_counter()
        call_command("build_report", quarter=quarter, stdout=sys.stderr)
        elapsed = time.perf_counter() - started
        result.requests = 1
        result.median_ms = result.p95_ms = elapsed * 1000
        sent = statements.take()
        result.queries = len(sent)
        result.sql_ms = sum(s.seconds for s in sent) * 1000
        result.peak_mb = _rss_mb("VmHWM")
        result.extra = {"baseline_rss_mb": round(baseline, 1), "quarter": quarter,
                        "connections": statements.connections}
        selects = [s for s in sent if s.is_select]
        if selects:
            # The floor of a report: the database's own work, every statement it sent, on every
            # connection (the report computes on several at once: the sum exceeds the wall time).
            result.floor_ms = result.sql_ms
            result.main_sql = max(selects, key=lambda s: s.seconds).sql[:2000]
    except Exception as exc:
        result.status = f"error: {type(exc).__name__}: {exc}"[:300]
    result.extra["key"] = "report"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result.as_dict(), indent=1, default=str))
    print(f"[{args.scale}] quarterly report {quarter}: {result.status} {result.median_ms or 0:.0f} ms, "
          f"peak RSS {result.peak_mb or 0:.0f} MB (Django alone {baseline:.0f} MB), {result.queries} queries",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
