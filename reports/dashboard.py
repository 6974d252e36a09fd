"""The live management dashboard (issue 16): the report's indicators for any period and territory,
computed on the households the manager may open, with the households behind every number.

Managers only (reports.access.can_use_dashboard); exact figures, since every number opens a list the
manager may see anyway. Reads only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from accounts.models import Territory
from households.models import Track

from . import access, charts, indicators, quarters
from .rendering import cell_of

EXACT = 1  # `small` for value()/display(): nothing hidden
PERIOD_LABELS = {"quarter": "Période choisie", "cumulative": "Depuis le début du programme"}


@dataclass(frozen=True)
class Scope:
    start: date
    end: date
    territory_codes: list[str]

    def query(self, **extra) -> dict:
        out = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if len(self.territory_codes) == 1:
            out["territory"] = self.territory_codes[0]
        out.update(extra)
        return out


def context_for(user, scope: Scope) -> indicators.Context:
    return indicators.Context(quarters.of(scope.end), scope.territory_codes, start=scope.start, end=scope.end,
                              household_scope=access.dashboard_households(user))


def live_figures(user, scope: Scope) -> dict:
    ctx = context_for(user, scope)
    return {
        "tracks": [{"code": str(code), "name": str(label)} for code, label in Track.choices],
        "territories": [{"code": t.code, "name": t.name}
                        for t in Territory.objects.filter(code__in=scope.territory_codes).order_by("code")],
        "sections": [{"key": k, "label": label} for k, label in indicators.SECTIONS],
        "indicators": indicators.compute_indicators(ctx),
    }


def columns(figures: dict) -> list[tuple[str, str, str]]:
    cols = [("all", "", _("Total"))]
    cols += [("track", t["code"], t["name"]) for t in figures["tracks"]]
    if len(figures["territories"]) > 1:
        cols += [("dep", t["code"], t["code"]) for t in figures["territories"]]
    return cols


def tables(figures: dict, scope: Scope) -> list[dict]:
    """Sections -> indicators -> periods -> rows of (text, drill-down query or None)."""
    cols = columns(figures)
    out = []
    for section in figures["sections"]:
        items = []
        for indicator in figures["indicators"]:
            if indicator["section"] != section["key"]:
                continue
            periods = []
            for period in ("quarter", "cumulative"):
                rows = []
                for row in indicator["rows"]:
                    if row[period] is None:
                        continue
                    values = []
                    for dim, key, _label in cols:
                        cell = cell_of(row[period], dim, key)
                        text = indicators.display(cell, row["unit"], small=EXACT)
                        link = None
                        if cell and cell.get("n"):
                            link = urlencode(scope.query(indicator=indicator["key"], row=row["key"],
                                                         period=period, dim=dim, key=key))
                        values.append((text, link))
                    rows.append({"label": row["label"], "values": values})
                if rows:
                    periods.append({"label": _(PERIOD_LABELS[period]), "rows": rows})
            items.append({"key": indicator["key"], "label": indicator["label"], "periods": periods})
        if items:
            out.append({"label": section["label"], "indicators": items})
    return out


def _find(figures: dict, key: str) -> dict:
    return next(i for i in figures["indicators"] if i["key"] == key)


def _category_chart(figures: dict, key: str, title: str):
    rows = [r for r in _find(figures, key)["rows"] if r["key"] != "total" and r["quarter"] is not None]
    return charts.bar_chart(title, [r["label"] for r in rows],
                            [(_("Ménages"), [r["quarter"]["all"].get("n", 0) for r in rows])], protect=False)


def chart_svgs(figures: dict) -> dict:
    during = _find(figures, "supported_during")["rows"][0]["quarter"]
    entries = _find(figures, "entries")["rows"][0]["quarter"]
    exits = _find(figures, "exits")["rows"][0]["quarter"]
    tracks = figures["tracks"]
    return {
        "by_track": charts.bar_chart(
            _("Ménages accompagnés, entrés et sortis pendant la période, par volet"), [t["name"] for t in tracks],
            [(_("Accompagnés"), [during["track"].get(t["code"], {}).get("n", 0) for t in tracks]),
             (_("Entrés"), [entries["track"].get(t["code"], {}).get("n", 0) for t in tracks]),
             (_("Sortis"), [exits["track"].get(t["code"], {}).get("n", 0) for t in tracks])], protect=False),
        "exits": _category_chart(figures, "exits", _("Sorties par motif")),
        "housing_exit": _category_chart(figures, "housing_exit", _("Situation de logement à la sortie")),
        "stage_entry": _category_chart(figures, "stage_entry", _("Stade de la procédure à l'entrée")),
    }


def flat_rows(figures: dict) -> list[list[str]]:
    """CSV rows (exact figures): section, indicator, row, period, column, value, unit."""
    from .rendering import UNIT_LABELS

    sections = {s["key"]: s["label"] for s in figures["sections"]}
    out = []
    for indicator in figures["indicators"]:
        for row in indicator["rows"]:
            for period in ("quarter", "cumulative"):
                if row[period] is None:
                    continue
                for dim, key, label in columns(figures):
                    shown = indicators.display(cell_of(row[period], dim, key), row["unit"], small=EXACT)
                    out.append([sections[indicator["section"]], indicator["label"], row["label"],
                                _(PERIOD_LABELS[period]), str(label), shown, UNIT_LABELS[row["unit"]]])
    return out


def cell_household_ids(user, scope: Scope, *, indicator_key: str, row_key: str, period: str, dim: str,
                       key: str) -> set[int] | None:
    """The households behind one number of the dashboard; None when the cell does not exist."""
    indicator = next((i for i in indicators.INDICATORS if i.key == indicator_key), None)
    if indicator is None or period not in PERIOD_LABELS or dim not in {"all", "track", "dep"}:
        return None
    with indicators.collecting_ids():
        rows = indicators.indicator_rows(context_for(user, scope), indicator)
    row = next((r for r in rows if r["key"] == row_key), None)
    if row is None or row[period] is None:
        return None
    cell = cell_of(row[period], dim, key) or {}
    return set(cell.get("ids", set()))
