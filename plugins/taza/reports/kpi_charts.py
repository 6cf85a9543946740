"""Inline SVG charts of the KPI dashboard: values by year (bars and lines) and ranked bars.

Every drawn value is an element carrying ``data-*`` attributes (KPI, year, series, the
exact value from the mart), so a test or a reader's devtools can trace each mark back
to its row; a <title> on it is the browser's tooltip. Values and labels are in the page's
language (``lang``); a layer's ``name`` stays the CSS class, its ``label`` is what a reader sees.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from taza.formatting import format_value
from taza.reports.html import esc

STATUS_COLOURS = {"on_track": "#2f855a", "at_risk": "#b7791f", "off_track": "#c53030", "no_data": "#a0aec0",
                  "no_target": "#718096"}
ACTUAL, TARGET, PROJECTED = "#2b6cb0", "#c53030", "#805ad5"


def data_attrs(attrs: Mapping[str, object]) -> str:
    """' data-key="value"' for each attribute that has a value."""
    return "".join(f' data-{esc(key)}="{esc(value)}"' for key, value in attrs.items() if value is not None)


def axis_top(value: float) -> float:
    """A round upper bound for an axis, at or above ``value``: a power of ten times a step whose
    quarters (the grid lines) are round too."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
                if value <= step * magnitude * (1 + 1e-12))


@dataclass(frozen=True)
class Mark:
    """One value drawn on a chart."""
    year: int
    value: Decimal
    attrs: Mapping[str, object]
    colour: str | None = None
    faded: bool = False


@dataclass(frozen=True)
class Layer:
    """A series of marks drawn as 'bars' or as a 'line' (optionally dashed)."""
    name: str
    kind: str
    colour: str
    marks: Sequence[Mark] = field(default_factory=tuple)
    dash: str | None = None
    label: str | None = None

    @property
    def shown(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class Size:
    width: int = 640
    height: int = 240
    left: int = 64
    right: int = 14
    top: int = 12
    bottom: int = 30


SMALL = Size(width=360, height=170, left=62, bottom=24)


def _grid(size: Size, top: float, unit: str, lang: str) -> list[str]:
    plot_h = size.height - size.top - size.bottom
    parts = []
    for i in range(5):
        y = size.height - size.bottom - plot_h * i / 4
        parts.append(f'<line x1="{size.left}" x2="{size.width - size.right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#e2e8f0"/>')
        parts.append(f'<text x="{size.left - 5}" y="{y + 3:.1f}" text-anchor="end" font-size="10" fill="#5f6b7a">'
                     f"{esc(format_value(Decimal(repr(top * i / 4)), unit, lang))}</text>")
    return parts


def _svg(size: Size, description: str, parts: list[str], css_class: str) -> str:
    """The chart scales with its box, up to 1.5 times its drawn size (so text stays readable)."""
    return (f'<svg class="{css_class}" role="img" aria-label="{esc(description)}" '
            f'viewBox="0 0 {size.width} {size.height}" width="100%" style="max-width:{size.width * 3 // 2}px" '
            f'preserveAspectRatio="xMidYMin meet" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{esc(description)}</title>{"".join(parts)}</svg>')


def legend(items: Sequence[tuple[str, str]]) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{colour}"></i>{esc(name)}</span>' for name, colour in items) + "</div>"


def year_chart(description: str, years: Sequence[int], layers: Sequence[Layer], unit: str,
               reference: tuple[Decimal, str] | None = None, marker: tuple[int, str] | None = None,
               size: Size = Size(), lang: str = "en") -> str:
    """Values by year on one axis from 0: bars and lines, an optional horizontal reference line
    (value, label) and an optional vertical marker at a year (year, label)."""
    values = [float(m.value) for layer in layers for m in layer.marks]
    top = axis_top(max(values + [float(reference[0]) if reference else 0.0], default=0.0))
    plot_w, plot_h = size.width - size.left - size.right, size.height - size.top - size.bottom
    slot = plot_w / max(len(years), 1)

    def x_of(year: int) -> float:
        return size.left + slot * (years.index(year) + 0.5)

    def y_of(value: Decimal) -> float:
        return size.height - size.bottom - plot_h * max(float(value), 0.0) / top

    parts = _grid(size, top, unit, lang)
    parts += [f'<text x="{x_of(year):.1f}" y="{size.height - size.bottom + 14}" text-anchor="middle" '
              f'font-size="10" fill="#5f6b7a">{year}</text>' for year in years]
    for layer in layers:
        marks = [m for m in layer.marks if m.year in years]
        if layer.kind == "bars":
            bar = min(34.0, slot * 0.7)
            for m in marks:
                y = y_of(m.value)
                opacity = ' fill-opacity="0.45"' if m.faded else ""
                parts.append(
                    f'<rect class="bar {esc(layer.name)}"{data_attrs(m.attrs)} x="{x_of(m.year) - bar / 2:.1f}" '
                    f'y="{y:.1f}" width="{bar:.1f}" height="{size.height - size.bottom - y:.1f}" '
                    f'fill="{m.colour or layer.colour}"{opacity}>'
                    f"<title>{m.year}: {esc(layer.shown)} {esc(format_value(m.value, unit, lang))}</title></rect>")
            continue
        if len(marks) > 1:
            dash = f' stroke-dasharray="{layer.dash}"' if layer.dash else ""
            points = " ".join(f"{x_of(m.year):.1f},{y_of(m.value):.1f}" for m in marks)
            parts.append(f'<polyline class="line {esc(layer.name)}" fill="none" stroke="{layer.colour}" '
                         f'stroke-width="2"{dash} points="{points}"/>')
        for m in marks:
            parts.append(f'<circle class="point {esc(layer.name)}"{data_attrs(m.attrs)} cx="{x_of(m.year):.1f}" '
                         f'cy="{y_of(m.value):.1f}" r="{4 if m.colour else 3}" fill="{m.colour or layer.colour}" '
                         f'stroke="#fff" stroke-width="1"><title>{m.year}: {esc(layer.shown)} '
                         f"{esc(format_value(m.value, unit, lang))}</title></circle>")
    if reference is not None:
        value, label = reference
        y = y_of(value)
        parts.append(f'<line class="reference" x1="{size.left}" x2="{size.width - size.right}" y1="{y:.1f}" '
                     f'y2="{y:.1f}" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>'
                     f'<text x="{size.left + 4}" y="{y - 4:.1f}" font-size="11" fill="{TARGET}">{esc(label)}</text>')
    if marker is not None and marker[0] in years:
        year, label = marker
        parts.append(f'<line class="marker" x1="{x_of(year):.1f}" x2="{x_of(year):.1f}" y1="{size.top}" '
                     f'y2="{size.height - size.bottom}" stroke="#2f855a" stroke-width="1.5" stroke-dasharray="2 3"/>'
                     f'<text x="{x_of(year) - 4:.1f}" y="{size.top + 10}" text-anchor="end" font-size="11" '
                     f'fill="#2f855a">{esc(label)}</text>')
    return _svg(size, description, parts, "chart-svg kpi-chart")


def ranked_bars(description: str, items: Sequence[tuple[str, Decimal, Mapping[str, object]]], unit: str,
                lang: str = "en") -> str:
    """Horizontal bars, largest first: (label, value, data attributes) per item."""
    ranked = sorted(items, key=lambda item: item[1], reverse=True)
    size = Size(width=640, height=22 * len(ranked) + 16, left=190, right=90, top=8, bottom=8)
    top = axis_top(float(max((value for _, value, _ in ranked), default=0)))
    plot_w = size.width - size.left - size.right
    parts = []
    for i, (label, value, attrs) in enumerate(ranked):
        y = size.top + 22 * i
        w = plot_w * max(float(value), 0.0) / top
        parts.append(f'<text x="{size.left - 6}" y="{y + 14}" text-anchor="end" font-size="11">{esc(label)}</text>'
                     f'<rect class="bar ranked"{data_attrs(attrs)} x="{size.left}" y="{y + 3}" width="{w:.1f}" '
                     f'height="16" fill="{ACTUAL}"><title>{esc(label)}: {esc(format_value(value, unit, lang))}'
                     f"</title></rect>"
                     f'<text x="{size.left + w + 5:.1f}" y="{y + 15}" font-size="11" fill="#5f6b7a">'
                     f"{esc(format_value(value, unit, lang))}</text>")
    return _svg(size, description, parts, "chart-svg ranked-chart")
