"""The KPI dashboard as one self-contained HTML page (served in the Airflow UI, exported to reports/).

First version: the trees-planted trajectory (state forest fund, national) against the
2 billion target, read from ``marts.kpi_trees_planted``, as bars and a table.
"""
from __future__ import annotations

from html import escape

import psycopg2

from taza.warehouse.connection import connect

QUERY = """
SELECT year, months_covered, trees_planted_year, trees_planted_cumulative, target_value, target_year,
       share_of_target
FROM marts.kpi_trees_planted
WHERE scope = 'national' AND programme = 'state_forest_fund'
ORDER BY year
"""

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b2a1f; }
table { border-collapse: collapse; margin-top: 1rem; }
th, td { padding: .3rem .8rem; border-bottom: 1px solid #d5ded7; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.bar { fill: #2e7d4f; } .target { stroke: #b23a2b; stroke-width: 2; stroke-dasharray: 6 4; }
"""


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>")


def _bars(rows: list[tuple], target: int) -> str:
    """Cumulative trees per year as SVG bars, with the target as a dashed line."""
    width, height, bar = 640, 240, 640 // max(len(rows), 1)
    top = max([target] + [row[3] for row in rows])
    shapes = []
    for i, (year, _, _, cumulative, *_rest) in enumerate(rows):
        h = round(cumulative / top * (height - 20))
        shapes.append(f'<rect class="bar" x="{i * bar + 4}" y="{height - h}" width="{bar - 8}" height="{h}">'
                      f"<title>{year}: {cumulative:,}</title></rect>"
                      f'<text x="{i * bar + bar // 2}" y="{height + 14}" text-anchor="middle">{year}</text>')
    y = height - round(target / top * (height - 20))
    shapes.append(f'<line class="target" x1="0" x2="{width}" y1="{y}" y2="{y}"/>'
                  f'<text x="{width - 4}" y="{y - 4}" text-anchor="end">target {target:,}</text>')
    return (f'<svg role="img" aria-label="cumulative trees planted per year" width="{width}" '
            f'height="{height + 20}" viewBox="0 0 {width} {height + 20}">{"".join(shapes)}</svg>')


def render_kpi_dashboard(warehouse_url: str) -> str:
    title = "Taza KPI dashboard: trees planted in the state forest fund"
    try:
        with connect(warehouse_url) as conn, conn.cursor() as cur:
            cur.execute(QUERY)
            rows = cur.fetchall()
    except psycopg2.errors.UndefinedTable:
        return _page(title, "<p>marts.kpi_trees_planted does not exist yet: run the DAG "
                            "<code>taza_build_kpis</code> (or <code>taza demo</code>).</p>")
    if not rows:
        return _page(title, "<p>No KPI rows yet: ingest some months, then run <code>taza_build_kpis</code>.</p>")
    target, target_year = rows[0][4], rows[0][5]
    table = "".join(
        f"<tr><td>{year}</td><td>{months}</td><td>{in_year:,}</td><td>{cumulative:,}</td><td>{share:.1%}</td></tr>"
        for year, months, in_year, cumulative, _, _, share in rows)
    body = (f"<p>Cumulative since 2021 against the target of {target:,} trees by {target_year} "
            f"(marts.kpi_trees_planted).</p>{_bars(rows, target)}"
            "<table><thead><tr><th>year</th><th>months</th><th>planted in year</th>"
            "<th>cumulative</th><th>of target</th></tr></thead>"
            f"<tbody>{table}</tbody></table>")
    return _page(title, body)
