"""The KPI dashboard's building blocks: scorecard rows into series, SVG marks and traced values."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from taza.reports import kpi_dashboard
from taza.reports.kpi_charts import Layer, Mark, axis_top, data_attrs, ranked_bars, year_chart
from taza.reports.i18n import Texts
from taza.reports.kpi_data import group_series

D = Decimal
EN = Texts("en")


def _row(code, year, actual, *, partial=False, projected=None, target=None, status="no_data", scope="national",
         region=None, region_name=None, unit="trees", direction="increase", reached=None, variant="total",
         target_kind=None, source_note=None, source_url=None, restated_from=None):
    """A row in kpi_data.QUERY's column order."""
    return (code, f"name of {code}", variant, scope, region, region_name, year, actual, partial, projected, target,
            False, unit, direction, status, reached, target_kind, source_note, source_url,
            restated_from is not None, restated_from, f"название {code}", f"{code} атауы", unit, f"ед. {unit}",
            f"{unit} бірлігі", region_name and f"ru {region_name}", region_name and f"kk {region_name}")


TREES = [_row("trees_planted_cumulative", 2021, D(400), target=D(300), status="on_track", reached=2024),
         _row("trees_planted_cumulative", 2022, D(700), partial=True, projected=D(800), target=D(600),
              status="on_track", reached=2024),
         _row("trees_planted_cumulative", 2023, None, partial=True, projected=D(1200), target=D(1000),
              status="on_track", reached=2024)]


def test_rows_group_into_one_series_per_kpi_path_in_year_order():
    rows = TREES + [_row("trees_planted_cumulative", 2021, D(5), scope="region", region="110000000",
                         region_name="Akmola Region")]
    national, akmola = group_series(rows)
    assert (national.scope, national.years, national.target_reached_year) == ("national", [2021, 2022, 2023], 2024)
    assert (akmola.region_kato, akmola.region_name("en"), akmola.years) == ("110000000", "Akmola Region", [2021])
    assert (akmola.name("kk"), akmola.unit_label("ru"), akmola.region_name("ru")) == (
        "trees_planted_cumulative атауы", "ед. trees", "ru Akmola Region")
    assert national.latest_actual().year == 2022, "the last year with a value, here a partial one"
    assert national.final_target() == (D(1000), 2023)


def test_a_falling_kpis_final_target_is_its_lowest():
    [dumps] = group_series([_row("dumps_detected", 2021, D(90), target=D(100), direction="decrease"),
                            _row("dumps_detected", 2029, None, target=D(40), direction="decrease")])
    assert dumps.final_target() == (D(40), 2029)


@pytest.mark.parametrize(("value", "top"), [(0, 1.0), (0.65, 0.8), (0.051, 0.06), (1.2, 1.5), (2_000_000_000, 2e9),
                                            (2_100_000_000, 2.5e9), (2_800_000_000, 3e9), (9, 10.0)])
def test_axis_top_is_a_round_bound_at_or_above_the_value(value, top):
    assert axis_top(value) == pytest.approx(top)


def test_data_attributes_are_escaped_and_skip_missing_values():
    assert data_attrs({"kpi": "a\"b", "region": None, "value": D("0.5")}) == ' data-kpi="a&quot;b" data-value="0.5"'


def test_year_chart_scales_bars_and_points_on_one_axis():
    marks = [Mark(2021, D(50), {"year": 2021, "value": D(50)}), Mark(2022, D(100), {"year": 2022, "value": D(100)})]
    svg = year_chart("c", [2021, 2022, 2023], [Layer("actual", "bars", "#000", marks),
                                               Layer("projected", "line", "#111", [Mark(2023, D(80), {})])],
                     "trees", reference=(D(100), "target"), marker=(2023, "reached 2023"))
    heights = [float(h) for h in re.findall(r'<rect class="bar actual"[^>]* height="([0-9.]+)"', svg)]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.1)
    assert 'data-year="2021" data-value="50"' in svg and "<title>2022: actual 100</title>" in svg
    assert svg.count('class="point projected"') == 1 and 'class="reference"' in svg and "reached 2023" in svg
    assert "<polyline" not in svg, "one projected point draws no line"


def test_ranked_bars_put_the_largest_first():
    svg = ranked_bars("r", [("small", D(1), {"region": "1"}), ("big", D(3), {"region": "2"})], "trees")
    assert svg.index('data-region="2"') < svg.index('data-region="1"')


def test_status_table_and_trajectory_trace_every_value_to_the_mart():
    [trees] = group_series(TREES)
    trajectory = kpi_dashboard._trajectory(trees, EN)
    assert ('data-kpi="trees_planted_cumulative" data-variant="total" data-scope="national" data-year="2022" '
            'data-series="actual" data-value="700"') in trajectory
    assert 'data-series="projected" data-value="1200"' in trajectory
    assert "planted 2021–2022 so far" in trajectory and "the trend reaches it in 2024" in trajectory
    assert 'data-series="target_reached_year" data-value="2024">2024</span>' in trajectory
    assert 'data-year="2022" data-series="share_of_target" data-value="0.7" data-target-year="2023">70.0 %' \
        in trajectory, "2022's actual over the final target (2023's)"
    status = kpi_dashboard._status([trees], EN)
    assert 'data-year="2022" data-series="target" data-value="600"' in status
    assert 'data-status="on_track"' in status and "2022 so far" in status


def test_the_partial_years_bar_is_pale_and_coloured_points_follow_the_status():
    [trees] = group_series(TREES)
    chart = kpi_dashboard._small_multiple(trees, EN)
    assert re.search(r'<rect[^>]*data-year="2022"[^>]*fill-opacity', kpi_dashboard._trajectory(trees, EN))
    on_track = kpi_dashboard.STATUS_COLOURS["on_track"]
    assert re.search(rf'<circle class="point actual"[^>]*data-year="2021"[^>]*fill="{on_track}"', chart)
    assert not re.search(rf'<circle class="point actual"[^>]*data-year="2022"[^>]*fill="{on_track}"', chart), \
        "a partial year's status is its projection's"


def test_status_table_marks_restated_values_and_shows_each_targets_kind_and_source():
    [msw] = group_series([
        _row("msw_processing_share", 2024, D("0.258"), target=D("0.3"), status="off_track", unit="share",
             target_kind="official_plan", source_note="(O) 2024 plan: 30 %", source_url="https://a.example/plan",
             restated_from=D("0.25")),
        _row("msw_processing_share", 2029, None, partial=True, target=D("0.38"), unit="share",
             target_kind="official_target", source_note="(O) Concept: 38 %")])
    html = kpi_dashboard._status([msw], EN)
    assert 'data-year="2024" data-restated-from="0.25"' in html and "restated (was 25.0" in html
    assert 'data-target-kind="official_plan" title="(O) 2024 plan: 30 %">official plan</span>' in html
    assert '<a href="https://a.example/plan">source</a>' in html
    assert 'data-target-kind="official_target"' in html, "the 2029 target's kind"
    [unrestated] = group_series([_row("dumps_detected", 2024, D(4800), unit="dumps", status="no_target",
                                      target=D(4800), target_kind="estimate")])
    html = kpi_dashboard._status([unrestated], EN)
    assert "data-restated-from" not in html and 'data-target-kind="estimate"' in html and 'data-status="no_target"' in html
