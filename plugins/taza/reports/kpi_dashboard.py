"""The KPI dashboard: marts.kpi_concept_scorecard as one self-contained HTML page.

Sections: the trajectory to 2 billion trees, the Concept targets through 2029 (one small
chart per national KPI), regions as ranked bars, and a status table of every KPI.
Every value on the page is an element with ``data-kpi``, ``data-variant``,
``data-scope``, ``data-region``, ``data-year``, ``data-series`` (actual, target,
projected) and ``data-value`` (the mart's exact value), so it can be traced to its row.
The page is in English, Russian or Kazakh (taza.reports.i18n; names from marts.dim_kpi and
marts.dim_region). ``render_kpi_dashboard(url, lang)`` returns the page (the Airflow plugin
serves it); ``write_kpi_dashboard(url, out_dir)`` writes it in every language (index.html,
index.ru.html, index.kk.html; ``taza report kpi``, the KPI DAG).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import psycopg2

from taza.config import reports_dir
from taza.formatting import format_datetime, format_percent, format_value
from taza.reports.html import Raw, esc, page, section, table, write_pages
from taza.reports.i18n import Texts
from taza.reports.kpi_charts import (ACTUAL, PROJECTED, SMALL, STATUS_COLOURS, TARGET, Layer, Mark, data_attrs,
                                     legend, ranked_bars, year_chart)
from taza.reports.kpi_data import SCORECARD_TABLE, Point, Series, load_series
from taza.warehouse.connection import connect
from taza.warehouse.roles import report_reader_url

TREES_KPI = "trees_planted_cumulative"
# The KPIs (code, variant) ranked by region, those with regional values in the scorecard.
REGIONAL_RANKINGS = (("trees_planted_cumulative", "total"), ("seedling_survival_rate", "year_1"),
                     ("campaign_participation_rate", "total"))
FINAL_YEAR = 2029
NAV = ("trajectory", "targets", "regions", "status")


def value_attrs(series: Series, year: int, name: str, value: Decimal | None) -> dict[str, object]:
    """The data attributes that tie a shown value to its scorecard row and column."""
    return {"kpi": series.kpi_code, "variant": series.variant, "scope": series.scope,
            "region": series.region_kato, "year": year, "series": name, "value": value}


def label(series: Series, t: Texts) -> str:
    """The KPI's name in the page's language, with its variant unless that is the total."""
    name = series.name(t.lang)
    return name if series.variant == "total" else f"{name} ({t.word('variant', series.variant)})"


def traced(series: Series, year: int, name: str, value: Decimal | None, t: Texts) -> Raw:
    """A value as text in a span carrying its data attributes (a dash without a value)."""
    if value is None:
        return Raw('<span class="muted">–</span>')
    return Raw(f'<span class="value" style="white-space:nowrap"{data_attrs(value_attrs(series, year, name, value))}>'
               f"{esc(format_value(value, series.unit, t.lang))}</span>")


def traced_reached_year(series: Series) -> Raw:
    """The series' target_reached_year (the same on each of its rows; traced to its last year's row)."""
    if series.target_reached_year is None:
        return Raw('<span class="muted">–</span>')
    attrs = value_attrs(series, series.years[-1], "target_reached_year", series.target_reached_year)
    return Raw(f"<span{data_attrs(attrs)}>{series.target_reached_year}</span>")


def restated_mark(series: Series, point: Point | None, t: Texts) -> Raw:
    """A 'restated' mark after a complete year's value that changed after it was published, with the old value."""
    if point is None or not point.is_restated:
        return Raw("")
    old = (t("restated.unknown") if point.restated_from is None
           else format_value(point.restated_from, series.unit, t.lang))
    attrs = {"kpi": series.kpi_code, "variant": series.variant, "scope": series.scope, "region": series.region_kato,
             "year": point.year, "restated-from": point.restated_from}
    return Raw(f' <span class="badge restated"{data_attrs(attrs)} title="{esc(t("restated.title", old=old))}">'
               f"{esc(t('restated.badge', old=old))}</span>")


def target_source(point: Point | None, t: Texts) -> Raw:
    """The kind of a year's target and the document it comes from (linked where the source has a URL)."""
    if point is None or point.target_kind is None:
        return Raw(f'<span class="muted">{esc(t("target.none"))}</span>')
    kind = t.word("target_kind", point.target_kind)
    links = "".join(f' <a href="{esc(url)}">{esc(t("target.source"))}</a>'
                    for url in (point.target_source_url or "").split())
    return Raw(f'<span class="target-kind" data-target-kind="{esc(point.target_kind)}" '
               f'title="{esc(point.target_source_note or "")}">{esc(kind)}</span>{links}')


def status_badge(status: str, t: Texts) -> Raw:
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS["no_data"])
    return Raw(f'<span class="badge status" data-status="{esc(status)}" style="background:{colour};white-space:nowrap">'
               f"{esc(t.word('status', status))}</span>")


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


def _card(caption: str, value: Raw | str, kind: str = "") -> str:
    return (f'<div class="card {esc(kind)}"><div class="value">{value}</div>'
            f'<div class="label">{esc(caption)}</div></div>')


def _reached_text(series: Series, t: Texts) -> str:
    year = series.target_reached_year
    if year is None:
        return t("reached.never")
    latest_complete = max((p.year for p in series.points if p.actual is not None and not p.is_partial_year),
                          default=None)
    reached = latest_complete is not None and year <= latest_complete
    return t("reached.in", year=year) if reached else t("reached.trend", year=year)


def _trajectory(trees: Series | None, t: Texts) -> str:
    if trees is None:
        return section("trajectory", t("trajectory.title"), "",
                       f'<p class="note">{esc(t("trajectory.none"))}</p>')
    latest = trees.latest_actual()
    final = trees.final_target()
    cards = []
    if latest is not None:
        planted = t("card.planted_so_far" if latest.is_partial_year else "card.planted", year=latest.year)
        cards.append(_card(planted, traced(trees, latest.year, "actual", latest.actual, t)))
        cards.append(_card(t("card.status", year=latest.year), status_badge(latest.status, t)))
    if final is not None:
        value, year = final
        cards.append(_card(t("card.target_by", year=year), traced(trees, year, "target", value, t)))
        if latest is not None:
            share = latest.actual / value
            attrs = {**value_attrs(trees, latest.year, "share_of_target", share), "target-year": year}
            cards.append(_card(t("card.share", year=year, latest=latest.year),
                               Raw(f"<span{data_attrs(attrs)}>{esc(format_percent(share, t.lang))}</span>"),
                               "ok" if share >= 1 else ""))
    in_time = trees.target_reached_year is not None and final is not None and trees.target_reached_year <= final[1]
    cards.append(_card(t("card.reached"), traced_reached_year(trees), "ok" if in_time else "warn"))
    layers = [Layer("actual", "bars", ACTUAL, _marks(trees, "actual"), label=t("series.actual")),
              Layer("target", "line", TARGET, _marks(trees, "target"), dash="4 3", label=t("series.target")),
              Layer("projected", "line", PROJECTED, _marks(trees, "projected"), dash="2 3",
                    label=t("series.projected"))]
    reference = ((final[0], t("chart.reference", value=format_value(final[0], trees.unit, t.lang), year=final[1]))
                 if final else None)
    marker = (trees.target_reached_year, t("chart.reached")) if trees.target_reached_year else None
    chart = year_chart(t("chart.trajectory", label=label(trees, t)), trees.years, layers, trees.unit,
                       reference, marker, lang=t.lang)
    body = (f'<div class="cards">{"".join(cards)}</div><div class="chart">{chart}'
            + legend([(t("legend.actual_pale"), ACTUAL), (t("legend.yearly_target"), TARGET),
                      (t("legend.projection"), PROJECTED)])
            + (f'<p class="muted">{esc(t("final_target", text=_reached_text(trees, t)))}</p>' if final else "")
            + "</div>")
    return section("trajectory", t("trajectory.title"), esc(t("trajectory.lead")), body)


def _small_multiple(series: Series, t: Texts) -> str:
    final = series.at(FINAL_YEAR)
    headline = status_badge(final.status if final else "no_data", t)
    layers = [Layer("target", "line", TARGET, _marks(series, "target"), dash="4 3", label=t("series.target")),
              Layer("actual", "line", ACTUAL, _marks(series, "actual", coloured=True), label=t("series.actual")),
              Layer("projected", "line", PROJECTED, _marks(series, "projected", coloured=True), dash="2 3",
                    label=t("series.projected"))]
    chart = year_chart(t("chart.by_year", label=label(series, t)), series.years, layers, series.unit, size=SMALL,
                       lang=t.lang)
    return (f'<div class="chart" data-kpi="{esc(series.kpi_code)}" data-variant="{esc(series.variant)}">'
            f'<h4>{esc(label(series, t))} <span class="muted">({esc(series.unit_label(t.lang))})</span> {headline}'
            f"</h4>{chart}</div>")


def _targets(national: Sequence[Series], t: Texts) -> str:
    status_legend = legend([(t("legend.point", status=t.word("status", status)), colour)
                            for status, colour in STATUS_COLOURS.items()])
    body = (legend([(t("series.actual"), ACTUAL), (t("series.target"), TARGET), (t("legend.projection"), PROJECTED)])
            + status_legend + '<div class="grid">' + "".join(_small_multiple(s, t) for s in national) + "</div>")
    return section("targets", t("targets.title"),
                   esc(t("targets.lead", first=min(national[0].years), final=FINAL_YEAR)), body)


def _ranking(regional: Sequence[Series], kpi_code: str, variant: str, t: Texts) -> str:
    """The regions ranked by the KPI's latest year with regional values ('' without any)."""
    series = [s for s in regional if s.kpi_code == kpi_code and s.variant == variant]
    years = [p.year for s in series for p in s.points if p.actual is not None]
    if not years:
        return ""
    year = max(years)
    items = [(s.region_name(t.lang), point.actual, value_attrs(s, year, "actual", point.actual))
             for s in series if (point := s.at(year)) is not None and point.actual is not None]
    partial = any(s.at(year).is_partial_year for s in series if s.at(year) is not None)
    title = t("ranking.title_so_far" if partial else "ranking.title", label=label(series[0], t), year=year)
    return (f'<div class="chart ranking" data-kpi="{esc(kpi_code)}" data-year="{year}"><h4>{esc(title)}</h4>'
            f"{ranked_bars(t('ranking.description', title=title), items, series[0].unit, t.lang)}</div>")


def _regions(regional: Sequence[Series], t: Texts) -> str:
    body = "".join(_ranking(regional, code, variant, t) for code, variant in REGIONAL_RANKINGS)
    return section("regions", t("regions.title"), esc(t("regions.lead")),
                   f'<div class="grid" style="grid-template-columns:repeat(auto-fill, minmax(560px, 1fr))">{body}</div>'
                   if body else f'<p class="note">{esc(t("regions.none"))}</p>')


def _status(national: Sequence[Series], t: Texts) -> str:
    rows = []
    for s in national:
        latest = s.latest_actual()
        final = s.at(FINAL_YEAR)
        year_text = ("–" if latest is None else
                     t("year_so_far", year=latest.year) if latest.is_partial_year else str(latest.year))
        rows.append((
            Raw(f'<span data-kpi="{esc(s.kpi_code)}" data-variant="{esc(s.variant)}">{esc(label(s, t))}</span>'),
            s.unit_label(t.lang), year_text,
            Raw(traced(s, latest.year, "actual", latest.actual, t) + restated_mark(s, latest, t))
            if latest else traced(s, 0, "actual", None, t),
            traced(s, latest.year, "target", latest.target, t) if latest else traced(s, 0, "target", None, t),
            target_source(latest, t),
            status_badge(latest.status if latest else "no_data", t),
            traced(s, FINAL_YEAR, "projected", final.projected if final else None, t),
            traced(s, FINAL_YEAR, "target", final.target if final else None, t),
            target_source(final, t),
            status_badge(final.status if final else "no_data", t),
            traced_reached_year(s)))
    headers = [t("col.kpi"), t("col.unit"), t("col.latest_year"), t("col.actual"), t("col.target"),
               t("col.target_source"), t("col.status"), t("col.final_projected", year=FINAL_YEAR),
               t("col.final_target", year=FINAL_YEAR), t("col.final_kind", year=FINAL_YEAR),
               t("col.final_status", year=FINAL_YEAR), t("col.reached")]
    return section("status", t("status.title"), esc(t("status.lead", final=FINAL_YEAR)),
                   table(headers, rows, numeric=(3, 4, 7, 8), css_class="kpi-status", lang=t.lang))


def dashboard_page(all_series: Sequence[Series], t: Texts, generated: datetime,
                   languages: Sequence[tuple[str, str]] = ()) -> str:
    """The page from the scorecard's series, in t's language; ``languages`` are the switcher's links."""
    national = [s for s in all_series if s.scope == "national"]
    if not national:
        return _note_page(t("kpi.empty", table=SCORECARD_TABLE), t, languages)
    regional = [s for s in all_series if s.scope == "region"]
    trees = next((s for s in national if s.kpi_code == TREES_KPI and s.variant == "total"), None)
    body = _trajectory(trees, t) + _targets(national, t) + _regions(regional, t) + _status(national, t)
    subtitle = t("kpi.generated", when=f"{format_datetime(generated, t.lang)} UTC", table=SCORECARD_TABLE)
    return page(t("kpi.title"), esc(subtitle), [(anchor, t(f"nav.{anchor}")) for anchor in NAV], body, t.lang,
                languages)


def _note_page(message: str, t: Texts, languages: Sequence[tuple[str, str]]) -> str:
    return page(t("kpi.title"), esc(t("kpi.from", table=SCORECARD_TABLE)), [], f'<p class="note">{message}</p>',
                t.lang, languages)


def _load(warehouse_url: str) -> list[Series] | None:
    """The scorecard's series; None while the scorecard is not built."""
    try:
        with connect(report_reader_url(warehouse_url)) as conn, conn.cursor() as cur:
            return load_series(cur)
    except psycopg2.errors.UndefinedTable:
        return None


def _render(all_series: list[Series] | None, lang: str, languages: Sequence[tuple[str, str]]) -> str:
    t = Texts(lang)
    if all_series is None:
        return _note_page(t("kpi.missing", table=SCORECARD_TABLE), t, languages)
    return dashboard_page(all_series, t, datetime.now(timezone.utc), languages)


def render_kpi_dashboard(warehouse_url: str, lang: str = "en", languages: Sequence[tuple[str, str]] = ()) -> str:
    """The dashboard as one self-contained HTML page (a note page when the scorecard is not built)."""
    return _render(_load(warehouse_url), lang, languages)


def write_kpi_dashboard(warehouse_url: str, out_dir: Path | None = None) -> list[Path]:
    """Write the dashboard in every language to ``<out_dir>`` (default reports/kpi/): index.html (English),
    index.ru.html, index.kk.html, each linking to the others; returns the paths."""
    all_series = _load(warehouse_url)
    return write_pages(Path(out_dir) if out_dir else reports_dir() / "kpi",
                       lambda lang, languages: _render(all_series, lang, languages))
