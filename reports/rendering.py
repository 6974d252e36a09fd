"""From frozen figures (JSON) to what the PDF, the pages and the CSV/XLSX exports show.

Nothing here queries the database: the same `Report.figures` always renders the same text.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from zel.lib.formats import format_eur, format_percent

from . import charts, quarters, suppression
from .definitions import DEFINITIONS
from .indicators import NOT_PUBLISHED, SMALL, display, splits_of, value

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


ADDITIVE_UNITS = {"households", "count", "eur", "minutes"}
SECRET = "s"  # a cell masked so that no "< 5" can be recovered by subtraction


def _matches(patterns: tuple[str, ...], row_key: str) -> bool:
    if any(p.startswith("!") and p[1:] == row_key for p in patterns):
        return False
    return any(p == "*" or p == row_key or (p.endswith("*") and row_key.startswith(p[:-1]))
               for p in patterns if not p.startswith("!"))


def masks(figures: dict, indicator: dict, period: str) -> dict:
    """{(row key, dimension, key): "primary" | "secondary"} for one table (an indicator over a period):
    the cells shown as "< 5" and those masked with them (complementary suppression)."""
    cols = [(dim, key) for dim, key, _label in columns(figures)]
    rows = [row for row in indicator["rows"] if row[period] is not None]
    values = {(row["key"], dim, key): (cell_of(row[period], dim, key) or {}).get("n", 0) or 0
              for row in rows for dim, key in cols}
    equations = []
    additive = [row for row in rows if row["unit"] in ADDITIVE_UNITS]
    for row in additive:  # a row's total is the sum of its tracks, and of its départements
        for dimension in ("track", "dep"):
            parts = [(row["key"], dim, key) for dim, key in cols if dim == dimension]
            if parts:
                equations.append([(row["key"], "all", ""), *parts])
    for patterns in splits_of(indicator["key"]):  # a column's total row is the sum of the rows splitting it
        members = [row["key"] for row in additive if _matches(patterns, row["key"])]
        for dim, key in cols:
            equations.append([(member, dim, key) for member in members])
    return suppression.suppress(values, equations, small=SMALL)


def shown(cell: dict | None, unit: str, mask: str | None) -> str:
    if mask == suppression.SECONDARY:
        return SECRET
    return display(cell, unit)


def _rows(figures: dict, indicator: dict, period: str) -> list[dict]:
    cols = columns(figures)
    hidden = masks(figures, indicator, period)
    out = []
    for row in indicator["rows"]:
        cells = row[period]
        if cells is None:
            continue
        out.append({"label": row["label"],
                    "values": [shown(cell_of(cells, dim, key), row["unit"], hidden.get((row["key"], dim, key)))
                               for dim, key, _label in cols]})
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
        if not any(row["headline"] for row in indicator["rows"]):
            continue
        hidden = {period: masks(figures, indicator, period) for period in ("quarter", "cumulative")}
        for row in indicator["rows"]:
            if not row["headline"]:
                continue
            prev_cells = previous.get(f"{indicator['key']}.{row['key']}")
            cell = (row["key"], "all", "")
            out.append({"key": f"{indicator['key']}.{row['key']}", "label": row["label"], "unit": row["unit"],
                        "quarter": shown(cell_of(row["quarter"], "all", ""), row["unit"], hidden["quarter"].get(cell)),
                        "previous": display(cell_of(prev_cells, "all", ""), row["unit"]) if prev_cells else "—",
                        "cumulative": shown(cell_of(row["cumulative"], "all", ""), row["unit"],
                                            hidden["cumulative"].get(cell)) if row["cumulative"] else "—"})
    return out


def _find(figures: dict, key: str) -> dict:
    return next(i for i in figures["indicators"] if i["key"] == key)


def chart_svgs(figures: dict) -> dict:
    s = figures["series"]
    labels = [q.replace("Q", " T") for q in s["quarters"]]
    arrears = [Decimal(v) if n >= SMALL else (Decimal(0) if n == 0 else None)
               for v, n in zip(s["arrears"], s["arrears_n"], strict=True)]
    active_indicator = _find(figures, "active")
    active = active_indicator["rows"][0]["quarter"]
    hidden = masks(figures, active_indicator, "quarter")
    row_key = active_indicator["rows"][0]["key"]

    def bar(dim: str, code: str) -> int | None:
        # A cell masked with the "< 5" ones is drawn as a stub too: the bar must not give it away.
        if hidden.get((row_key, dim, code)) == suppression.SECONDARY:
            return None
        return active[dim].get(code, {}).get("n", 0)
    track_labels = [t["name"] for t in figures["tracks"]]
    by_dep = [(t["code"], [bar("dep", t["code"])]) for t in figures["territories"]]
    return {
        "entries_exits": charts.bar_chart(_("Entrées et sorties par trimestre"), labels,
                                          [(_("Entrées"), s["entries"]), (_("Sorties"), s["exits"])]),
        "arrears": charts.line_chart(_("Dette locative des ménages accompagnés en fin de trimestre (€)"), labels,
                                     arrears, _("Dette locative (€)")),
        "by_track": charts.bar_chart(_("Ménages accompagnés en fin de trimestre, par volet"), track_labels,
                                     [(_("Ménages"), [bar("track", t["code"]) for t in figures["tracks"]])]),
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
        hidden = {period: masks(figures, indicator, period) for period in ("quarter", "cumulative")}
        for row in indicator["rows"]:
            for period in ("quarter", "cumulative"):
                cells = row[period]
                if cells is None:
                    continue
                for dim, key, label in columns(figures):
                    if hidden[period].get((row["key"], dim, key)) == suppression.SECONDARY:
                        shown = SECRET
                    else:
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
