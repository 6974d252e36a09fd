"""The benchmark table: merged with earlier results (docs/benchmarks.json) and written into
docs/benchmarks.md between markers, so that hand-written analysis around it is kept."""

from __future__ import annotations

import json
import os
import platform
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
DATA = ROOT / "docs" / "benchmarks.json"
START, END = "<!-- bench:pages:start -->", "<!-- bench:pages:end -->"

HOUSEHOLD_PAGES = {"list", "list_middle", "list_deep", "list_filtered", "search", "search_name", "list_worker",
                   "file"}
WIDE_PAGES = {"dashboard", "dashboard_big", "litigation", "management"}
SCALE_ORDER = {"10k": 0, "100k": 1, "1M": 2}


def _near_floor(r) -> bool:
    """Within twice the page's own SQL floor plus 30 ms (the rest is Python and rendering)."""
    return r.get("floor_ms") is None or r["p95_ms"] <= 2 * r["floor_ms"] + 30


def target(key: str) -> tuple[str, callable] | None:
    """The issue's target for a page (issue 20, 2 cores), as (text, check(result) -> bool)."""
    if key in HOUSEHOLD_PAGES:
        return ("p95 ≤ 150 ms and ≤ 2×floor + 30 ms, ≤ 15 q",
                lambda r: r["p95_ms"] <= 150 and _near_floor(r) and r["queries"] <= 15)
    if key in WIDE_PAGES:
        return "p95 ≤ 200 ms, ≤ 15 q", lambda r: r["p95_ms"] <= 200 and r["queries"] <= 15
    if key == "copil":
        return "≤ 15 q", lambda r: r["queries"] <= 15
    if key == "rent_import":
        return "< 10 s", lambda r: r["median_ms"] < 10_000
    if key == "early_warnings":
        return "< 60 s", lambda r: r["median_ms"] < 60_000
    if key == "report":
        return "< 60 s, < 500 MB", lambda r: r["median_ms"] < 60_000 and (r.get("peak_mb") or 0) < 500
    return None


def machine(postgres: str = "") -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 2**20
    except (OSError, AttributeError):
        ram = 0
    return (f"{os.cpu_count()} × {cpu}, {ram:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, PostgreSQL {postgres or '?'} (same machine, default "
            f"configuration), shared with other processes while measured")


def _fmt(value, digits=0) -> str:
    if value is None:
        return "—"
    if digits == 0:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:,.{digits}f}".replace(",", " ")


def _ms(value) -> str:
    if value is None:
        return "—"
    return _fmt(value, 1 if value < 100 else 0)


def render(data: dict) -> str:
    rows = sorted(data["results"].values(),
                  key=lambda r: (r["order"], SCALE_ORDER.get(r["scale"], 9)))
    lines = [
        f"Measured {data.get('measured_at', '?')} on {data.get('machine', '?')}.",
        "",
        "| Page | Scale | As | Median ms | p95 ms | Queries | SQL Σ ms | Floor ms | Target | Met |",
        "|---|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        key = r.get("extra", {}).get("key", "")
        goal = target(key)
        if r["status"] != "ok":
            lines.append(f"| {r['page']} | {r['scale']} | {r.get('persona') or '—'} | {r['status']} "
                         f"| | | | | {goal[0] if goal else '—'} | — |")
            continue
        met = "—"
        if goal:
            met = "✅" if goal[1](r) else "❌"
        peak = f" ({_fmt(r['peak_mb'])} MB)" if r.get("peak_mb") else ""
        lines.append(
            f"| {r['page']} | {r['scale']} | {r.get('persona') or '—'} | {_ms(r['median_ms'])}{peak} "
            f"| {_ms(r['p95_ms'])} | {_fmt(r['queries'])} | {_ms(r['sql_ms'])} | {_ms(r['floor_ms'])} "
            f"| {goal[0] if goal else '—'} | {met} |")
    seeds = data.get("seeding", {})
    if seeds:
        lines += ["", "Seeding (seconds, once per scale; reused afterwards) and rows (planner estimates):", ""]
        for scale in sorted(seeds, key=lambda s: SCALE_ORDER.get(s, 9)):
            info = seeds[scale]
            timings = ", ".join(f"{k} {v:.0f} s" for k, v in info.get("seed_seconds", {}).items())
            rows_text = ", ".join(f"{k.split('_', 1)[-1]} {_fmt(v)}" for k, v in info.get("rows", {}).items()
                                  if v >= 1000)
            lines.append(f"- **{scale}**: {timings}. Rows: {rows_text}.")
    return "\n".join(lines)


MILLION_START, MILLION_END = "<!-- bench:1m:start -->", "<!-- bench:1m:end -->"


def render_scale(data: dict, scale: str = "1M") -> str:
    """One scale's column (issue 20: 10⁶ measured, not extrapolated): each measure beside its SQL
    floor and query count, its target and whether it is met."""
    rows = sorted((r for r in data["results"].values() if r["scale"] == scale), key=lambda r: r["order"])
    lines = [f"| Measure ({scale}) | As | p95 | Median | SQL floor | Queries | Peak MB | Target | Met |",
             "|---|---|---:|---:|---:|---:|---:|---|---|"]
    for r in rows:
        key = r.get("extra", {}).get("key", "")
        goal = target(key)
        if r["status"] != "ok":
            lines.append(f"| {r['page']} | {r.get('persona') or '—'} | {r['status']} | | | | | "
                         f"{goal[0] if goal else '—'} | — |")
            continue
        met = ("✅" if goal[1](r) else "❌") if goal else "—"
        slow = (r["p95_ms"] or 0) >= 10_000
        p95 = f"{r['p95_ms'] / 1000:.1f} s" if slow else f"{_ms(r['p95_ms'])} ms"
        median = f"{r['median_ms'] / 1000:.1f} s" if slow else f"{_ms(r['median_ms'])} ms"
        floor = "—" if r.get("floor_ms") is None else (
            f"{r['floor_ms'] / 1000:.1f} s" if r["floor_ms"] >= 10_000 else f"{_ms(r['floor_ms'])} ms")
        lines.append(f"| {r['page']} | {r.get('persona') or '—'} | {p95} | {median} | {floor} | "
                     f"{_fmt(r['queries'])} | {_fmt(r.get('peak_mb'))} | {goal[0] if goal else '—'} | {met} |")
    return "\n".join(lines)


def _replace(text: str, start: str, end: str, body: str, heading: str) -> str:
    if start not in text:
        text = text.rstrip() + f"\n\n{heading}\n\n{start}\n{end}\n"
    before, _sep, rest = text.partition(start)
    _old, _sep2, after = rest.partition(end)
    return f"{before}{start}\n{body}\n{end}{after}"


TEMPLATE = """# Benchmarks

`make bench` (or `python -m bench --scales 10k,100k --pages list,search`) seeds one PostgreSQL
database per scale (`BENCH_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/zel_bench`,
suffixed `_10k`, `_100k`, `_1m`; reused on later runs), then times each page in-process with
Django's test client, logged in as the persona shown: 2 warm-up requests, 1 request under query
capture, then 30 timed requests (median and p95 of the server time, template rendering included,
no network). **Floor**: the page's slowest SELECT re-run alone on the same connection (median of
10 runs, rows fetched): what the database itself needs for the page. "SQL Σ" is the time of all the
page's queries. The quarterly report runs alone in a fresh process; its peak is the resident set.

{start}
{end}

See [scaling.md](scaling.md) for what these numbers mean for a deployment.
"""


def write(runs: list[dict], *, write: bool = True) -> str:
    from .pages import PAGES

    order = {key: i for i, key in enumerate([*PAGES, "report", "early_warnings"])}
    data = json.loads(DATA.read_text()) if DATA.exists() else {"results": {}, "seeding": {}}
    postgres = ""
    for run in runs:
        postgres = run.get("postgres", postgres)
        data["seeding"][run["scale"]] = {"seed_seconds": run.get("seed_seconds", {}), "rows": run.get("rows", {})}
        for result in run["results"]:
            key = result.get("extra", {}).get("key", result["page"])
            result["order"] = order.get(key, 99)
            result.pop("plan", None)
            result.get("extra", {}).pop("sql", None)
            data["results"][f"{run['scale']}:{key}"] = result
    data["machine"] = machine(postgres or data.get("postgres", ""))
    data["postgres"] = postgres or data.get("postgres", "")
    data["measured_at"] = datetime.now(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%d %H:%M")
    table = render(data)
    if write:
        DATA.parent.mkdir(exist_ok=True)
        DATA.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n")
        text = DOC.read_text() if DOC.exists() else TEMPLATE.format(start=START, end=END)
        text = _replace(text, START, END, table, "")
        if any(r["scale"] == "1M" for r in data["results"].values()):
            text = _replace(text, MILLION_START, MILLION_END, render_scale(data, "1M"),
                            "## 10⁶ households (issue 20)")
        DOC.write_text(text)
    return table
