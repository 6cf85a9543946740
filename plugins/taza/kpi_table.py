"""KPI marts as plain-text tables for the terminal."""
from __future__ import annotations

from collections.abc import Sequence

from taza.formatting import format_value
from taza.warehouse.connection import connect

QUERY = """
SELECT year, months_covered, trees_planted_year, trees_planted_cumulative, share_of_target, status
FROM marts.kpi_trees_planted
WHERE scope = 'national'
ORDER BY year
"""

HEADER = ("year", "months covered", "planted in year", "cumulative since 2021", "of 2 bn by 2027",
          "status of the year")

# Per national KPI: its latest complete year against that year's target, and 2029.
SCORECARD_QUERY = """
WITH national AS (
    SELECT * FROM marts.kpi_concept_scorecard WHERE scope = 'national'
),
latest AS (
    SELECT DISTINCT ON (kpi_code, variant) kpi_code, variant, year, actual_value, target_value, status
    FROM national
    WHERE actual_value IS NOT NULL AND NOT is_partial_year
    ORDER BY kpi_code, variant, year DESC
)
SELECT final.kpi_code, final.variant, final.unit, latest.year, latest.actual_value, latest.target_value,
       latest.status, final.projected_value, final.target_value, final.status, final.target_reached_year
FROM national AS final
LEFT JOIN latest USING (kpi_code, variant)
WHERE final.year = 2029
ORDER BY final.kpi_code, final.variant
"""

SCORECARD_HEADER = ("KPI", "unit", "year", "actual", "target", "status", "2029 projected", "2029 target",
                    "2029 status", "target reached")


def _layout(title: str, header: Sequence[str], rows: list[Sequence[str]]) -> str:
    cells = [tuple(header)] + [tuple(row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [title]
    for n, row in enumerate(cells):
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def national_trees_table(warehouse_url: str) -> str:
    with connect(warehouse_url) as conn, conn.cursor() as cur:
        cur.execute(QUERY)
        rows = cur.fetchall()
    return _layout("KPI trees_planted_cumulative - state forest fund, Kazakhstan (marts.kpi_trees_planted)",
                   HEADER,
                   [(str(year), str(months), f"{in_year:,}", f"{cumulative:,}", f"{share:.1%}", status)
                    for year, months, in_year, cumulative, share, status in rows])


def scorecard_table(warehouse_url: str) -> str:
    """Headline of marts.kpi_concept_scorecard: every national KPI, latest complete year and 2029."""
    with connect(warehouse_url) as conn, conn.cursor() as cur:
        cur.execute(SCORECARD_QUERY)
        rows = cur.fetchall()
    return _layout(
        "Concept scorecard, Kazakhstan (marts.kpi_concept_scorecard, scope national)",
        SCORECARD_HEADER,
        [(code if variant == "total" else f"{code} ({variant})", unit, str(year or "-"),
          format_value(actual, unit), format_value(target, unit), status or "-",
          format_value(projected_2029, unit), format_value(target_2029, unit), status_2029, str(reached or "-"))
         for code, variant, unit, year, actual, target, status, projected_2029, target_2029, status_2029, reached
         in rows])
