"""Quarters as strings ("2025Q4"): pure functions, no ORM."""

from __future__ import annotations

import re
from datetime import date, timedelta

QUARTER_RE = re.compile(r"^(?P<year>\d{4})Q(?P<q>[1-4])$")

#: The programme started in 2015 (programme sheet); "cumulative" figures count from this day.
PROGRAMME_START = date(2015, 1, 1)


def parse(value: str) -> tuple[int, int]:
    match = QUARTER_RE.match(value or "")
    if not match:
        raise ValueError(f"quarter expected like 2025Q4, got {value!r}")
    return int(match["year"]), int(match["q"])


def bounds(value: str) -> tuple[date, date]:
    """First and last day (inclusive) of the quarter."""
    year, q = parse(value)
    start = date(year, 3 * q - 2, 1)
    following = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start, following - timedelta(days=1)


def of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def previous(value: str) -> str:
    year, q = parse(value)
    return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"


def following(value: str) -> str:
    year, q = parse(value)
    return f"{year + 1}Q1" if q == 4 else f"{year}Q{q + 1}"


def last_n(value: str, n: int) -> list[str]:
    """The n quarters ending with `value`, oldest first."""
    quarters = [value]
    while len(quarters) < n:
        quarters.insert(0, previous(quarters[0]))
    return quarters


def label(value: str) -> str:
    year, q = parse(value)
    return f"{q}{'er' if q == 1 else 'e'} trimestre {year}"


def months_of(value: str) -> list[date]:
    start, _end = bounds(value)
    return [start.replace(month=start.month + i) for i in range(3)]
