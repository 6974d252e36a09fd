"""Timing helpers: server time of a request in-process, its SQL, and the floor (main query alone)."""

from __future__ import annotations

import math
import statistics
import time
import tracemalloc
from dataclasses import asdict, dataclass, field

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    page: str
    scale: str
    status: str = "ok"            # ok | n/a (not built) | error: …
    persona: str = ""
    requests: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    sql_ms: float | None = None   # sum of the SQL time of one request
    floor_ms: float | None = None  # the main (slowest) SELECT alone, re-run on the database
    peak_mb: float | None = None
    note: str = ""
    main_sql: str = ""
    plan: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 30 samples is the 29th)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _main_select(captured: list[dict]) -> dict | None:
    selects = [q for q in captured if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    return max(selects, key=lambda q: float(q["time"]), default=None)


def floor_of(sql: str, runs: int = 10) -> tuple[float, str]:
    """Median time of the SQL alone (execute + fetch, same connection) and its EXPLAIN ANALYZE."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            times.append(time.perf_counter() - started)
        try:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        except Exception as exc:  # a statement EXPLAIN refuses must not lose the timing
            plan = f"(no plan: {exc})"
    return statistics.median(times) * 1000, plan


def time_calls(call, *, runs: int, warmup: int = 2, check=None) -> tuple[list[float], list[dict], object]:
    """Run `call` warmup times, once under query capture, then `runs` times timed."""
    for _ in range(warmup):
        outcome = call()
        if check:
            check(outcome)
    reset_queries()  # a request clears the query log: start from an empty one or the capture is lost
    with CaptureQueriesContext(connection) as capture:
        outcome = call()
    captured = list(capture.captured_queries)  # now: the next request clears the query log
    if check:
        check(outcome)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        outcome = call()
        times.append((time.perf_counter() - started) * 1000)
        if check:
            check(outcome)
    return times, captured, outcome


def fill(result: Result, times: list[float], captured: list[dict], *, floor: bool = True) -> Result:
    result.requests = len(times)
    result.median_ms = statistics.median(times)
    result.p95_ms = percentile(times, 95)
    result.queries = len(captured)
    result.sql_ms = sum(float(q["time"]) for q in captured) * 1000
    # Every query of one request (shortened), for the slow-spot analysis in var/bench/*.json.
    result.extra["sql"] = [(round(float(q["time"]) * 1000, 2), q["sql"][:400]) for q in captured]
    main = _main_select(captured)
    if main and floor:
        result.main_sql = main["sql"]
        result.floor_ms, result.plan = floor_of(main["sql"])
    return result


def peak_memory(call) -> tuple[object, float, float]:
    """Run once, returning (outcome, seconds, peak MB of Python allocations)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome = call()
    finally:
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return outcome, elapsed, peak / 2**20
