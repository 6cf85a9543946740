"""Inline SVG charts: stacked bars over time and a line per series. No JavaScript.

Each bar or point carries a <title>, which browsers show as a tooltip. A series is keyed by
a name that picks its colour; ``names`` maps it to the word shown in the page's language.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from taza.formatting import format_number
from taza.reports.html import esc, fmt
from taza.reports.i18n import Texts

PALETTE = {"loaded": "#2f855a", "quarantined": "#dd6b20", "rejected": "#c53030",
           "critical": "#c53030", "warning": "#b7791f", "received": "#2b6cb0"}
WIDTH, HEIGHT = 640, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 56, 12, 10, 34


def _colour(name: str, index: int) -> str:
    fallback = ("#2b6cb0", "#805ad5", "#319795", "#d53f8c", "#718096")
    return PALETTE.get(name, fallback[index % len(fallback)])


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _axes(top: float, labels: Sequence[str], slot: float, unit: str, lang: str) -> list[str]:
    parts = []
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    for i in range(5):
        value = top * i / 4
        y = HEIGHT - PAD_BOTTOM - plot_h * i / 4
        parts.append(f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e2e8f0"/>')
        text = format_number(value, lang, 0 if float(value).is_integer() else 1)
        parts.append(f'<text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10" fill="#5f6b7a">'
                     f"{esc(text)}{esc(unit)}</text>")
    # at most 8 labels, fewer when they are long (about 6 px a character at font size 10)
    room = (WIDTH - PAD_LEFT - PAD_RIGHT) / (6 * max(map(len, labels), default=1) + 10)
    every = max(1, len(labels) // 8, math.ceil(len(labels) / room))
    for i, label in enumerate(labels):
        if i % every == 0:
            x = PAD_LEFT + slot * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - PAD_BOTTOM + 14}" text-anchor="middle" font-size="10" '
                         f'fill="#5f6b7a">{esc(label)}</text>')
    return parts


def _legend(keys: Sequence[str], names: Mapping[str, str]) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{_colour(k, i)}"></i>{esc(names.get(k, k))}</span>'
        for i, k in enumerate(keys)) + "</div>"


def _frame(title: str, keys: Sequence[str], names: Mapping[str, str], parts: list[str], description: str) -> str:
    svg = (f'<svg class="chart-svg" role="img" aria-label="{esc(description)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
           f"<title>{esc(description)}</title>{''.join(parts)}</svg>")
    return f'<div class="chart"><h4>{esc(title)}</h4>{svg}{_legend(keys, names)}</div>'


def _no_data(title: str, lang: str) -> str:
    return f'<div class="chart"><h4>{esc(title)}</h4><p class="muted">{esc(Texts(lang)("chart.no_data"))}</p></div>'


def stacked_bars(title: str, labels: Sequence[str], series: dict[str, Sequence[float]], unit: str = "",
                 names: Mapping[str, str] | None = None, lang: str = "en") -> str:
    """One bar per label, stacked by series (drawn in the dict's order from the bottom)."""
    if not labels:
        return _no_data(title, lang)
    names = names or {}
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top = _nice_max(max(totals))
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = plot_w / len(labels)
    bar = min(28.0, max(1.0, slot * 0.78))
    parts = _axes(top, labels, slot, unit, lang)
    for i, label in enumerate(labels):
        y = HEIGHT - PAD_BOTTOM
        for index, (name, values) in enumerate(series.items()):
            h = plot_h * values[i] / top
            if h <= 0:
                continue
            y -= h
            x = PAD_LEFT + slot * i + (slot - bar) / 2
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{_colour(name, index)}"><title>{esc(label)}: {esc(names.get(name, name))} '
                         f'{esc(fmt(values[i], lang))}'
                         f"{esc(unit)}</title></rect>")
    shown = ", ".join(names.get(name, name) for name in series)
    return _frame(title, list(series), names, parts, Texts(lang)("chart.stacked", title=title, names=shown))


def lines(title: str, labels: Sequence[str], series: dict[str, Sequence[float]], unit: str = "",
          names: Mapping[str, str] | None = None, lang: str = "en") -> str:
    """One polyline per series over the labels, with a dot per point."""
    if not labels:
        return _no_data(title, lang)
    names = names or {}
    top = _nice_max(max((max(v) for v in series.values() if len(v)), default=0))
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = plot_w / len(labels)
    parts = _axes(top, labels, slot, unit, lang)
    for index, (name, values) in enumerate(series.items()):
        colour = _colour(name, index)
        points = [(PAD_LEFT + slot * (i + 0.5), HEIGHT - PAD_BOTTOM - plot_h * v / top) for i, v in enumerate(values)]
        parts.append(f'<polyline class="line" fill="none" stroke="{colour}" stroke-width="2" '
                     f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}"/>')
        for (x, y), label, value in zip(points, labels, values):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"><title>{esc(label)}: '
                         f"{esc(names.get(name, name))} {esc(fmt(value, lang))}{esc(unit)}</title></circle>")
    shown = ", ".join(names.get(name, name) for name in series)
    return _frame(title, list(series), names, parts, Texts(lang)("chart.lines", title=title, names=shown))
