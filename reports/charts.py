"""Inline SVG charts for the PDF: plain strings, no JavaScript, no external file.

Values about 1 to 4 households are drawn as a hatched stub labelled "< 5": the bar height must not
reveal what the table hides.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from zel.lib.formats import format_number

from .indicators import SMALL

COLOURS = ["#1f4e79", "#e07b39", "#5b9e4d", "#8e5ea2", "#c0392b", "#7f8c8d"]
WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 24, 40


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _pattern_id(title: str) -> str:
    # Ids must be unique in the whole PDF and stable from one rendering to the next.
    return "hatch-" + hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()[:8]


def _frame(title: str, body: list[str], legend: list[tuple[str, str]]) -> SafeString:
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
             f'role="img" aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" font-size="10">',
             f'<defs><pattern id="{_pattern_id(title)}" patternUnits="userSpaceOnUse" width="4" height="4">'
             '<path d="M0 4 l4 -4" stroke="#888" stroke-width="1"/></pattern></defs>',
             f'<title>{escape(title)}</title>']
    parts += body
    x = LEFT
    for label, colour in legend:
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="13">{escape(label)}</text>')
        x += 20 + 7 * len(label)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _axis(maximum: float, decimals: int = 0) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = []
    for i in range(5):
        v = maximum * i / 4
        y = HEIGHT - BOTTOM - plot_h * i / 4
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
                   f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end">'
                   f'{escape(format_number(Decimal(str(v)), decimals))}</text>')
    return out


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int | None]]], *,
              protect: bool = True) -> SafeString:
    """Grouped bars: one group per label, one bar per series (counts of households). A None value is a
    cell masked by complementary suppression: drawn like a small one, labelled "s"."""
    maximum = _nice_max(max([max([v or 0 for v in values] or [0]) for _name, values in series] + [SMALL]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    body = _axis(maximum)
    for g, label in enumerate(labels):
        gx = LEFT + g * group_w + group_w * 0.1
        for s, (_name, values) in enumerate(series):
            v = values[g] if g < len(values) else 0
            secret = v is None
            small = secret or (protect and 0 < v < SMALL)
            h = plot_h * (SMALL if small else v) / maximum
            x, y = gx + s * bar_w, HEIGHT - BOTTOM - h
            fill = f"url(#{_pattern_id(title)})" if small else COLOURS[s % len(COLOURS)]
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" fill="{fill}"/>')
            text = "s" if secret else ("< 5" if small else format_number(v, 0))
            body.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 2:.1f}" text-anchor="middle" font-size="8">'
                        f'{escape(text)}</text>')
        body.append(f'<text x="{gx + group_w * 0.4:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">'
                    f'{escape(label)}</text>')
    legend = [(name, COLOURS[i % len(COLOURS)]) for i, (name, _values) in enumerate(series)]
    return _frame(title, body, legend)


def line_chart(title: str, labels: list[str], values: list[Decimal | None], name: str) -> SafeString:
    """One line of amounts (euros); None points (too few households) are left out."""
    known = [float(v) for v in values if v is not None]
    maximum = _nice_max(max(known + [1]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)
    body = _axis(maximum)
    points = []
    for i, label in enumerate(labels):
        x = LEFT + i * step
        body.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">{escape(label)}</text>')
        v = values[i]
        if v is None:
            body.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM - 4}" text-anchor="middle" font-size="8">&lt; 5</text>')
            continue
        y = HEIGHT - BOTTOM - plot_h * float(v) / maximum
        points.append(f"{x:.1f},{y:.1f}")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{COLOURS[0]}"/>'
                    f'<text x="{x:.1f}" y="{y - 5:.1f}" text-anchor="middle" font-size="8">'
                    f'{escape(format_number(v, 0))}</text>')
    if len(points) > 1:
        body.insert(0, f'<polyline fill="none" stroke="{COLOURS[0]}" stroke-width="2" points="{" ".join(points)}"/>')
    return _frame(title, body, [(name, COLOURS[0])])
