"""From frozen figures (JSON) to what the PDF, the pages and the CSV/XLSX exports show.

Nothing here queries the database: the same `Report.figures` always renders the same text.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from zel.lib.formats import format_eur, format_percent

from . import charts, quarters
from .definitions import DEFINITIONS
from .indicators import NOT_PUBLISHED, SMALL, display, value

PERIOD_LABELS = {"quarter": "Trimestre", "cumulative": "Depuis le début"}


def columns(figures: dict) -> list[tuple[str, str, str]]:
    """(dimension, key, label): total, each track, then each département when there are several."""
    cols = [("all", "", _("Total"))]
    cols += [("track", t["code"], t["name"]) for t in figures["tracks"]]
    if len(figures["territories"]) > 1:
        cols += [("dep", t["code"], t["code"]) for t in figures["territories"]]
    return cols


def cell_of(cells: dict | None, dimension: str, key: str) -> dict | None:
    if cells is None:
        return None
    if dimension == "all":
        return cells["all"]
    return cells[dimension].get(key, {"n": 0})


def _rows(figures: dict, indicator: dict, period: str) -> list[dict]:
    cols = columns(figures)
    out = []
    for row in indicator["rows"]:
        cells = row[period]
        if cells is None:
            continue
        out.append({"label": row["label"],
                    "values": [display(cell_of(cells, dim, key), row["unit"]) for dim, key, _label in cols]})
    return out


def sections(figures: dict) -> list[dict]:
    out = []
    for section in figures["sections"]:
        indicators = []
        for indicator in figures["indicators"]:
            if indicator["section"] != section["key"]:
                continue
            indicators.append({"label": indicator["label"], "unit": indicator["unit"],
                               "quarter": _rows(figures, indicator, "quarter"),
                               "cumulative": _rows(figures, indicator, "cumulative")})
        out.append({"label": section["label"], "indicators": indicators})
    return out


def headline(figures: dict) -> list[dict]:
    previous = figures.get("previous", {}).get("rows", {})
    out = []
    for indicator in figures["indicators"]:
        for row in indicator["rows"]:
            if not row["headline"]:
                continue
            prev_cells = previous.get(f"{indicator['key']}.{row['key']}")
            out.append({"key": f"{indicator['key']}.{row['key']}", "label": row["label"], "unit": row["unit"],
                        "quarter": display(cell_of(row["quarter"], "all", ""), row["unit"]),
                        "previous": display(cell_of(prev_cells, "all", ""), row["unit"]) if prev_cells else "—",
                        "cumulative": display(cell_of(row["cumulative"], "all", ""), row["unit"])
                        if row["cumulative"] else "—"})
    return out


def _find(figures: dict, key: str) -> dict:
    return next(i for i in figures["indicators"] if i["key"] == key)


def chart_svgs(figures: dict) -> dict:
    s = figures["series"]
    labels = [q.replace("Q", " T") for q in s["quarters"]]
    arrears = [Decimal(v) if n >= SMALL else (Decimal(0) if n == 0 else None)
               for v, n in zip(s["arrears"], s["arrears_n"], strict=True)]
    active = _find(figures, "active")["rows"][0]["quarter"]
    track_labels = [t["name"] for t in figures["tracks"]]
    by_dep = [(t["code"], [active["dep"].get(t["code"], {}).get("n", 0)]) for t in figures["territories"]]
    return {
        "entries_exits": charts.bar_chart(_("Entrées et sorties par trimestre"), labels,
                                          [(_("Entrées"), s["entries"]), (_("Sorties"), s["exits"])]),
        "arrears": charts.line_chart(_("Dette locative des ménages accompagnés en fin de trimestre (€)"), labels,
                                     arrears, _("Dette locative (€)")),
        "by_track": charts.bar_chart(_("Ménages accompagnés en fin de trimestre, par volet"), track_labels,
                                     [(_("Ménages"), [active["track"].get(t["code"], {}).get("n", 0)
                                                      for t in figures["tracks"]])]),
        "by_dep": charts.bar_chart(_("Ménages accompagnés en fin de trimestre, par département"),
                                   [code for code, _v in by_dep],
                                   [(_("Ménages"), [v[0] for _c, v in by_dep])]),
    }


def budget(figures: dict) -> dict | None:
    b = figures.get("budget")
    if not b:
        return None
    total = Decimal(b["total"])
    lines = [(_("FNAVDL"), Decimal(b["fnavdl"])), (_("Fonds propres des bailleurs"), Decimal(b["own_funds"]))]
    if Decimal(b["other"]):
        lines.append((b["other_label"] or _("Autres financements"), Decimal(b["other"])))
    same_year = b["year"] == quarters.parse(figures["quarter"])[0]
    return {"year": b["year"], "staff": b.get("staff", ""), "same_year": same_year,
            "total": format_eur(total),
            "lines": [{"label": label, "amount": format_eur(amount),
                       "share": format_percent(amount / total) if total else "—"} for label, amount in lines]}


def context(figures: dict, *, scope_label: str, generated_on: date) -> dict:
    return {
        "figures": figures,
        "scope_label": scope_label,
        "quarter_label": figures["quarter_label"],
        "previous_label": quarters.label(quarters.previous(figures["quarter"])),
        "generated_on": generated_on,
        "period_start": date.fromisoformat(figures["periods"]["cumulative"][0]),
        "period_end": date.fromisoformat(figures["periods"]["quarter"][1]),
        "quarter_start": date.fromisoformat(figures["periods"]["quarter"][0]),
        "columns": [label for _d, _k, label in columns(figures)],
        "headline": headline(figures),
        "sections": sections(figures),
        "charts": chart_svgs(figures),
        "budget": budget(figures),
        "definitions": [(str(term), str(text)) for term, text in DEFINITIONS],
    }


def flat_rows(figures: dict) -> list[dict]:
    """One row per (indicator row, period, dimension) for CSV/XLSX; small cells stay hidden."""
    section_labels = {s["key"]: s["label"] for s in figures["sections"]}
    out = []
    for indicator in figures["indicators"]:
        for row in indicator["rows"]:
            for period in ("quarter", "cumulative"):
                cells = row[period]
                if cells is None:
                    continue
                for dim, key, label in columns(figures):
                    shown = value(cell_of(cells, dim, key), row["unit"])
                    if isinstance(shown, Decimal) and row["unit"] == "ratio":
                        shown = (shown * 100).quantize(Decimal("0.1"))
                    out.append({
                        "quarter": figures["quarter"], "section": section_labels[indicator["section"]],
                        "indicator": indicator["label"], "row": row["label"], "period": PERIOD_LABELS[period],
                        "dimension": str(label), "value": "" if shown is None else shown,
                        "unit": UNIT_LABELS[row["unit"]],
                    })
    return out


UNIT_LABELS = {"households": "ménages", "count": "nombre", "eur": "€", "eur_mean": "€ (moyenne par ménage)",
               "minutes": "heures", "days_mean": "jours (moyenne)", "days_median": "jours (médiane)", "ratio": "%"}
__all__ = ["NOT_PUBLISHED", "context", "flat_rows"]
