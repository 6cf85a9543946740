"""The KPI dashboard: marts.kpi_concept_scorecard as one self-contained HTML page.

Sections: the trajectory to 2 billion trees, the Concept targets through 2029 (one small
chart per national KPI), regions as ranked bars, and a status table of every KPI.
Every value on the page is an element with ``data-kpi``, ``data-variant``,
``data-scope``, ``data-region``, ``data-year``, ``data-series`` (actual, target,
projected) and ``data-value`` (the mart's exact value), so it can be traced to its row.
``render_kpi_dashboard(url)`` returns the page (the Airflow plugin serves it);
``write_kpi_dashboard(url, out_dir)`` writes ``index.html`` (``taza report kpi``, the KPI DAG).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import psycopg2

from taza.config import reports_dir
from taza.formatting import format_value
from taza.reports.html import Raw, esc, page, section, table
from taza.reports.kpi_charts import (ACTUAL, PROJECTED, SMALL, STATUS_COLOURS, TARGET, Layer, Mark, data_attrs,
                                     legend, ranked_bars, year_chart)
from taza.reports.kpi_data import SCORECARD_TABLE, Point, Series, load_series
from taza.warehouse.connection import connect
from taza.warehouse.roles import report_reader_url

TITLE = "Taza KPI warehouse — KPI dashboard"
TREES_KPI = "trees_planted_cumulative"
# The KPIs (code, variant) ranked by region, those with regional values in the scorecard.
REGIONAL_RANKINGS = (("trees_planted_cumulative", "total"), ("seedling_survival_rate", "year_1"),
                     ("campaign_participation_rate", "total"))
FINAL_YEAR = 2029
NAV = [("trajectory", "Trajectory to 2 bn trees"), ("targets", "Concept targets to 2029"),
       ("regions", "Regions"), ("status", "Status of every KPI")]


def value_attrs(series: Series, year: int, name: str, value: Decimal | None) -> dict[str, object]:
    """The data attributes that tie a shown value to its scorecard row and column."""
    return {"kpi": series.kpi_code, "variant": series.variant, "scope": series.scope,
            "region": series.region_kato, "year": year, "series": name, "value": value}


def traced(series: Series, year: int, name: str, value: Decimal | None) -> Raw:
    """A value as text in a span carrying its data attributes (a dash without a value)."""
    if value is None:
        return Raw('<span class="muted">–</span>')
    return Raw(f'<span class="value" style="white-space:nowrap"{data_attrs(value_attrs(series, year, name, value))}>'
               f"{esc(format_value(value, series.unit))}</span>")


def traced_reached_year(series: Series) -> Raw:
    """The series' target_reached_year (the same on each of its rows; traced to its last year's row)."""
    if series.target_reached_year is None:
        return Raw('<span class="muted">–</span>')
    attrs = value_attrs(series, series.years[-1], "target_reached_year", series.target_reached_year)
    return Raw(f"<span{data_attrs(attrs)}>{series.target_reached_year}</span>")


def restated_mark(series: Series, point: Point | None) -> Raw:
    """A 'restated' mark after a complete year's value that changed after it was published, with the old value."""
    if point is None or not point.is_restated:
        return Raw("")
    old = "an earlier value" if point.restated_from is None else format_value(point.restated_from, series.unit)
    attrs = {"kpi": series.kpi_code, "variant": series.variant, "scope": series.scope, "region": series.region_kato,
             "year": point.year, "restated-from": point.restated_from}
    return Raw(f' <span class="badge restated"{data_attrs(attrs)} title="published before as {esc(old)}">'
               f"restated (was {esc(old)})</span>")


def target_source(point: Point | None) -> Raw:
    """The kind of a year's target and the document it comes from (linked where the source has a URL)."""
    if point is None or point.target_kind is None:
        return Raw('<span class="muted">no target</span>')
    kind = point.target_kind.replace("_", " ")
    links = "".join(f' <a href="{esc(url)}">source</a>' for url in (point.target_source_url or "").split())
    return Raw(f'<span class="target-kind" data-target-kind="{esc(point.target_kind)}" '
               f'title="{esc(point.target_source_note or "")}">{esc(kind)}</span>{links}')


def status_badge(status: str) -> Raw:
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS["no_data"])
    return Raw(f'<span class="badge status" data-status="{esc(status)}" style="background:{colour};white-space:nowrap">'
               f"{esc(status.replace('_', ' '))}</span>")


def _marks(series: Series, name: str, coloured: bool = False) -> list[Mark]:
    """The series' values of one column (actual, target or projected) as chart marks."""
    marks = []
    for p in series.points:
        value = getattr(p, name)
        if value is None:
            continue
        colour = STATUS_COLOURS.get(p.status) if coloured and (name == "projected" or not p.is_partial_year) else None
        marks.append(Mark(p.year, value, value_attrs(series, p.year, name, value), colour,
                          faded=name == "actual" and p.is_partial_year))
    return marks


def _card(label: str, value: Raw | str, kind: str = "") -> str:
    return f'<div class="card {esc(kind)}"><div class="value">{value}</div><div class="label">{esc(label)}</div></div>'


def _reached_text(series: Series) -> str:
    year = series.target_reached_year
    if year is None:
        return "not reached on the current trend"
    latest_complete = max((p.year for p in series.points if p.actual is not None and not p.is_partial_year),
                          default=None)
    reached = latest_complete is not None and year <= latest_complete
    return f"reached in {year}" if reached else f"the trend reaches it in {year}"


def _trajectory(trees: Series | None) -> str:
    if trees is None:
        return section("trajectory", "Trajectory to 2 billion trees", "",
                       '<p class="note">The scorecard has no national trees-planted series yet.</p>')
    latest = trees.latest_actual()
    final = trees.final_target()
    cards = []
    if latest is not None:
        suffix = " so far" if latest.is_partial_year else ""
        cards.append(_card(f"planted 2021–{latest.year}{suffix}",
                           traced(trees, latest.year, "actual", latest.actual)))
        cards.append(_card(f"status {latest.year}", status_badge(latest.status)))
    if final is not None:
        value, year = final
        cards.append(_card(f"target by {year}", traced(trees, year, "target", value)))
        if latest is not None:
            share = latest.actual / value
            attrs = {**value_attrs(trees, latest.year, "share_of_target", share), "target-year": year}
            cards.append(_card(f"of the {year} target ({latest.year})",
                               Raw(f"<span{data_attrs(attrs)}>{share:.1%}</span>"), "ok" if share >= 1 else ""))
    in_time = trees.target_reached_year is not None and final is not None and trees.target_reached_year <= final[1]
    cards.append(_card("target reached", traced_reached_year(trees), "ok" if in_time else "warn"))
    layers = [Layer("actual", "bars", ACTUAL, _marks(trees, "actual")),
              Layer("target", "line", TARGET, _marks(trees, "target"), dash="4 3"),
              Layer("projected", "line", PROJECTED, _marks(trees, "projected"), dash="2 3")]
    reference = (final[0], f"target {format_value(final[0], trees.unit)} by {final[1]}") if final else None
    marker = (trees.target_reached_year, "target reached") if trees.target_reached_year else None
    chart = year_chart(f"{trees.label}: actual, yearly target and projection", trees.years, layers, trees.unit,
                       reference, marker)
    body = (f'<div class="cards">{"".join(cards)}</div><div class="chart">{chart}'
            + legend([("actual (pale: year so far)", ACTUAL), ("yearly target", TARGET), ("projection", PROJECTED)])
            + (f'<p class="muted">The final target: {esc(_reached_text(trees))}.</p>' if final else "") + "</div>")
    return section("trajectory", "Trajectory to 2 billion trees",
                   "Trees planted in the state forest fund since 1 January 2021 (national), against the yearly "
                   "target path to 2 billion trees; years after the last complete one are projected along the "
                   "trend of the last complete years.", body)


def _small_multiple(series: Series) -> str:
    layers = [Layer("target", "line", TARGET, _marks(series, "target"), dash="4 3"),
              Layer("actual", "line", ACTUAL, _marks(series, "actual", coloured=True)),
              Layer("projected", "line", PROJECTED, _marks(series, "projected", coloured=True), dash="2 3")]
    final = series.at(FINAL_YEAR)
    headline = status_badge(final.status if final else "no_data")
    chart = year_chart(f"{series.label} by year", series.years, layers, series.unit, size=SMALL)
    return (f'<div class="chart" data-kpi="{esc(series.kpi_code)}" data-variant="{esc(series.variant)}">'
            f'<h4>{esc(series.label)} <span class="muted">({esc(series.unit)})</span> {headline}</h4>{chart}</div>')


def _targets(national: Sequence[Series]) -> str:
    status_legend = legend([(f"point: {status.replace('_', ' ')}", colour)
                            for status, colour in STATUS_COLOURS.items()])
    body = (legend([("actual", ACTUAL), ("target", TARGET), ("projection", PROJECTED)]) + status_legend
            + '<div class="grid">' + "".join(_small_multiple(s) for s in national) + "</div>")
    return section("targets", "Concept targets through 2029",
                   f"Every national KPI of the scorecard, {min(national[0].years)}–{FINAL_YEAR}: actual values, the "
                   "yearly target (from official targets and plans, interpolated between them) and the projection; "
                   f"points are coloured by status, the badge is the {FINAL_YEAR} status.", body)


def _ranking(regional: Sequence[Series], kpi_code: str, variant: str) -> str:
    """The regions ranked by the KPI's latest year with regional values ('' without any)."""
    series = [s for s in regional if s.kpi_code == kpi_code and s.variant == variant]
    years = [p.year for s in series for p in s.points if p.actual is not None]
    if not years:
        return ""
    year = max(years)
    items = [(s.region_name or s.region_kato, point.actual, value_attrs(s, year, "actual", point.actual))
             for s in series if (point := s.at(year)) is not None and point.actual is not None]
    partial = any(s.at(year).is_partial_year for s in series if s.at(year) is not None)
    title = f"{series[0].label}, {year}{' so far' if partial else ''}"
    return (f'<div class="chart ranking" data-kpi="{esc(kpi_code)}" data-year="{year}"><h4>{esc(title)}</h4>'
            f"{ranked_bars(f'{title}, regions ranked', items, series[0].unit)}</div>")


def _regions(regional: Sequence[Series]) -> str:
    body = "".join(_ranking(regional, code, variant) for code, variant in REGIONAL_RANKINGS)
    return section("regions", "Regions", "The regions ranked by each KPI's latest year with regional values.",
                   f'<div class="grid" style="grid-template-columns:repeat(auto-fill, minmax(560px, 1fr))">{body}</div>'
                   if body else '<p class="note">The scorecard has no regional values yet.</p>')


def _status(national: Sequence[Series]) -> str:
    rows = []
    for s in national:
        latest = s.latest_actual()
        final = s.at(FINAL_YEAR)
        year_text = "–" if latest is None else f"{latest.year}{' so far' if latest.is_partial_year else ''}"
        rows.append((
            Raw(f'<span data-kpi="{esc(s.kpi_code)}" data-variant="{esc(s.variant)}">{esc(s.label)}</span>'), s.unit,
            year_text,
            Raw(traced(s, latest.year, "actual", latest.actual) + restated_mark(s, latest))
            if latest else traced(s, 0, "actual", None),
            traced(s, latest.year, "target", latest.target) if latest else traced(s, 0, "target", None),
            target_source(latest),
            status_badge(latest.status) if latest else status_badge("no_data"),
            traced(s, FINAL_YEAR, "projected", final.projected if final else None),
            traced(s, FINAL_YEAR, "target", final.target if final else None),
            target_source(final),
            status_badge(final.status if final else "no_data"),
            traced_reached_year(s)))
    headers = ["KPI", "unit", "latest year with data", "actual", "target", "target kind and source", "status",
               f"{FINAL_YEAR} projected", f"{FINAL_YEAR} target", f"{FINAL_YEAR} target kind", f"{FINAL_YEAR} status",
               "target reached"]
    return section("status", "Status of every KPI",
                   "National values: the latest year with data (a year so far is judged by the KPI's partial-year "
                   f"rule), and {FINAL_YEAR}, the end of the Concept period. Only official targets are judged "
                   "(official targets and plans, and years interpolated between official points); a baseline or an "
                   "estimate says no target. Hover a target kind for its source; 'restated' marks a complete year "
                   "whose published value changed since.",
                   table(headers, rows, numeric=(3, 4, 7, 8), css_class="kpi-status"))


def _note_page(message: str) -> str:
    return page(TITLE, f"from {SCORECARD_TABLE}", [], f'<p class="note">{message}</p>')


def render_kpi_dashboard(warehouse_url: str) -> str:
    """The dashboard as one self-contained HTML page (a note page when the scorecard is not built)."""
    try:
        with connect(report_reader_url(warehouse_url)) as conn, conn.cursor() as cur:
            all_series = load_series(cur)
    except psycopg2.errors.UndefinedTable:
        return _note_page(f"{SCORECARD_TABLE} does not exist yet: run the DAG <code>taza_build_kpis</code> "
                          "(or <code>taza demo</code>).")
    national = [s for s in all_series if s.scope == "national"]
    if not national:
        return _note_page(f"{SCORECARD_TABLE} has no rows yet: ingest some months, then run "
                          "<code>taza_build_kpis</code>.")
    regional = [s for s in all_series if s.scope == "region"]
    trees = next((s for s in national if s.kpi_code == TREES_KPI and s.variant == "total"), None)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = _trajectory(trees) + _targets(national) + _regions(regional) + _status(national)
    return page(TITLE, f"Generated {esc(generated)} from {SCORECARD_TABLE}", NAV, body)


def write_kpi_dashboard(warehouse_url: str, out_dir: Path | None = None) -> Path:
    """Write the dashboard to ``<out_dir>/index.html`` (default reports/kpi/); returns the path."""
    out_dir = Path(out_dir) if out_dir else reports_dir() / "kpi"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    path.write_text(render_kpi_dashboard(warehouse_url), encoding="utf-8")
    return path
