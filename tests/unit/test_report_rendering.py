"""The report's building blocks: escaping, tables, inline SVG charts and manifest lineage."""
from __future__ import annotations

import re

from taza.reports import charts
from taza.reports.html import Raw, esc, fmt, page, table
from taza.reports.quality_data import _upstream_staging


def test_values_are_escaped_and_numbers_formatted():
    assert esc("<script>") == "&lt;script&gt;"
    assert fmt(1234567) == "1,234,567" and fmt(None) == "–" and fmt(2.5) == "2.50"
    assert fmt(1234567, "kk") == "1\u202f234\u202f567" and fmt(2.5, "ru") == "2,50" and fmt(True, "kk") == "иә"
    html = table(["name", "count"], [("<b>", 1200), (Raw("<i>ok</i>"), None)], numeric=(1,))
    assert "&lt;b&gt;" in html and "<i>ok</i>" in html
    assert '<td class="num">1,200</td>' in html


def test_stacked_bars_scale_each_series_and_carry_tooltips():
    svg = charts.stacked_bars("records", ["2024-01", "2024-02"], {"loaded": [30, 60], "quarantined": [10, 0]})
    heights = [float(h) for h in re.findall(r'<rect class="bar"[^>]* height="([0-9.]+)"', svg)]
    assert len(heights) == 3, "a zero value draws no bar"
    loaded_jan, quarantined_jan, loaded_feb = heights
    assert abs(loaded_feb - 2 * loaded_jan) < 0.2 and abs(loaded_jan - 3 * quarantined_jan) < 0.2
    assert "<title>2024-01: quarantined 10</title>" in svg


def test_lines_draw_one_polyline_per_series_and_handle_no_data():
    svg = charts.lines("failures", ["a", "b", "c"], {"critical": [0, 2, 1], "warning": [1, 1, 1]})
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 6
    assert "no data yet" in charts.lines("failures", [], {"critical": []})


def test_the_page_needs_nothing_from_the_network():
    html = page("T", "sub", [("a", "A")], "<p>body</p>")
    assert "<script" not in html and not re.search(r'(src|href)="(https?:)?//', html)


def test_kpi_lineage_follows_the_manifest_down_to_staging_models():
    manifest = {"nodes": {
        "model.t.kpi": {"resource_type": "model", "name": "kpi", "schema": "marts",
                        "depends_on": {"nodes": ["model.t.fct", "model.t.dim"]}},
        "model.t.fct": {"resource_type": "model", "name": "fct", "schema": "marts",
                        "depends_on": {"nodes": ["model.t.stg_a", "model.t.stg_b"]}},
        "model.t.dim": {"resource_type": "model", "name": "dim", "schema": "marts",
                        "depends_on": {"nodes": ["seed.t.regions"]}},
        "model.t.stg_a": {"resource_type": "model", "name": "stg_a", "schema": "staging", "depends_on": {}},
        "model.t.stg_b": {"resource_type": "model", "name": "stg_b", "alias": "stg_b_v2", "schema": "staging"},
    }}
    assert _upstream_staging(manifest, "model.t.kpi") == ["stg_a", "stg_b_v2"]
