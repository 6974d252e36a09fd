"""Counting delays (Code de procédure civile, art. 640 to 642) and the calendar of a département.

- a delay runs from the day after the act and ends at midnight on its last day;
- months end on the same day number of the last month, or on that month's last day when the day
  number does not exist; weeks end on the same weekday;
- a delay within which an act must be done and which ends on a Saturday, Sunday or public holiday
  runs to the next working day; a waiting period ("no summons / no eviction before…") and a delay
  counted backwards from a hearing are never extended;
- a delay in working days ("jours ouvrés") counts Mondays to Fridays that are not public holidays;
- public holidays are those of the département: Alsace-Moselle (57, 67, 68) adds Good Friday and
  26 December (ZEL applies them to the whole of the three départements).

Pure Python: no Django import.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from zel.lib.public_holidays import ALSACE_MOSELLE as ALSACE_MOSELLE  # re-exported to the engine
from zel.lib.public_holidays import is_public_holiday as is_public_holiday

DEPARTEMENT_RE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$")
OVERSEAS_PREFIX = "97"


def is_working_day(day: date, departement: str) -> bool:
    """A "jour ouvré": Monday to Friday, not a public holiday of the département."""
    return day.weekday() < 5 and not is_public_holiday(day, departement)


def next_working_day(day: date, departement: str) -> date:
    while not is_working_day(day, departement):
        day += timedelta(days=1)
    return day


def working_days_before(day: date, count: int, departement: str) -> date:
    """The `count`-th working day before `day` (the day itself is not counted, CPC art. 641)."""
    found = 0
    while found < count:
        day -= timedelta(days=1)
        if is_working_day(day, departement):
            found += 1
    return day


def working_days_after(day: date, count: int, departement: str) -> date:
    """The `count`-th working day after `day` (the day of the act is not counted, CPC art. 641)."""
    found = 0
    while found < count:
        day += timedelta(days=1)
        if is_working_day(day, departement):
            found += 1
    return day


def add_months(day: date, months: int) -> date:
    """Same day number `months` later, or that month's last day (31/01 + 1 month = 28 or 29/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_weeks(day: date, weeks: int) -> date:
    return day + timedelta(weeks=weeks)


def _parse_month_day(value: str) -> tuple[int, int]:
    month, day = (int(part) for part in value.split("-"))
    date(2024, month, day)  # raises ValueError on an impossible day
    return month, day


def in_truce(day: date, truce_start: str = "11-01", truce_end: str = "03-31") -> bool:
    start, end = _parse_month_day(truce_start), _parse_month_day(truce_end)
    md = (day.month, day.day)
    if start <= end:
        return start <= md <= end
    return md >= start or md <= end


def after_truce(day: date, truce_start: str = "11-01", truce_end: str = "03-31") -> date:
    """The day itself if outside the truce, else the day after the truce ends."""
    if not in_truce(day, truce_start, truce_end):
        return day
    end_month, end_day = _parse_month_day(truce_end)
    end = date(day.year, end_month, end_day)
    if end < day:
        end = date(day.year + 1, end_month, end_day)
    return end + timedelta(days=1)


def fr(day: date) -> str:
    """31/12/2025: the engine's texts are French and independent of Django's formats."""
    return day.strftime("%d/%m/%Y")
