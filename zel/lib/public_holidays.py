"""French public holidays per département, Alsace-Moselle's local law included.

One calendar for every rule that counts days: the deadline engine (litigation.deadlines) and the
reminders' sending window (support.reminders). Pure: no Django.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter
from holidays.countries.france import France

ALSACE_MOSELLE = frozenset({"57", "67", "68"})


def _holiday_subdivision(departement: str) -> str | None:
    if departement == "57":
        return "57"
    if departement in {"67", "68"}:
        return "6AE"  # the package's Alsace subdivision
    if departement in France.subdivisions:
        return departement  # overseas départements (971…)
    return None


@lru_cache(maxsize=32)
def _holidays(departement: str, year: int) -> frozenset[date]:
    calendar_ = France(subdiv=_holiday_subdivision(departement), years=[year])  # type: ignore[no-untyped-call]
    days: set[date] = set(calendar_.keys())
    if departement in ALSACE_MOSELLE:
        # holidays 0.109 already has both for "57" and "6AE"; kept so a package change cannot
        # silently drop the local law (Code du travail L.3134-13).
        days.add(date(year, 12, 26))
        days.add(easter(year) - timedelta(days=2))
    return frozenset(days)


def is_public_holiday(day: date, departement: str) -> bool:
    return day in _holidays(departement, day.year)
