"""The trees-planted KPI as a plain-text table for the terminal."""
from __future__ import annotations

from taza.warehouse.connection import connect

QUERY = """
SELECT year, months_covered, trees_planted_year, trees_planted_cumulative, share_of_target,
       (SELECT trees_planted_cumulative FROM marts.kpi_trees_planted a
         WHERE a.scope = 'national' AND a.programme = 'all' AND a.year = k.year) AS all_programmes_cumulative
FROM marts.kpi_trees_planted k
WHERE scope = 'national' AND programme = 'state_forest_fund'
ORDER BY year
"""

HEADER = ("year", "months", "planted in year", "cumulative since 2021", "of 2 bn target",
          "all programmes, cumulative")


def national_trees_table(warehouse_url: str) -> str:
    with connect(warehouse_url) as conn, conn.cursor() as cur:
        cur.execute(QUERY)
        rows = cur.fetchall()
    cells = [HEADER] + [(str(year), str(months), f"{in_year:,}", f"{cumulative:,}", f"{share:.1%}",
                         f"{all_cumulative:,}")
                        for year, months, in_year, cumulative, share, all_cumulative in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADER))]
    lines = ["KPI trees_planted_cumulative - state forest fund, Kazakhstan (marts.kpi_trees_planted)"]
    for n, row in enumerate(cells):
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
