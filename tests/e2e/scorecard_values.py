"""The values a KPI page shows, by their data attributes, and the scorecard rows they claim to be."""
from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

COLUMNS = {"actual": "actual_value", "target": "target_value", "projected": "projected_value",
           "target_reached_year": "target_reached_year"}


class _TracedValues(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: list[dict] = []
        self.kpis: set[tuple[str, str]] = set()

    def handle_starttag(self, tag, attrs):
        data = {name[5:]: value for name, value in attrs if name.startswith("data-")}
        if data.get("series") in COLUMNS and "kpi" in data:
            self.values.append(data)
        elif {"kpi", "variant"} <= data.keys() and "series" not in data:
            self.kpis.add((data["kpi"], data["variant"]))


def traced_values(html: str) -> tuple[list[dict], set[tuple[str, str]]]:
    """The data attributes of every element that shows a scorecard value, and the KPIs (code,
    variant) the page lists (the status table's rows, the charts of national KPIs)."""
    parser = _TracedValues()
    parser.feed(html)
    return parser.values, parser.kpis


def mart_value(cursor, shown: dict) -> tuple[Decimal | None, str]:
    """The scorecard's value, and its unit, for the row and column a shown value names."""
    cursor.execute(f"""SELECT {COLUMNS[shown['series']]}, unit FROM marts.kpi_concept_scorecard
                       WHERE kpi_code = %s AND variant = %s AND scope = %s
                         AND region_kato IS NOT DISTINCT FROM %s AND enterprise_bin IS NULL AND year = %s""",
                   (shown["kpi"], shown["variant"], shown["scope"], shown.get("region"), int(shown["year"])))
    [row] = cursor.fetchall()
    return row


def national_kpis(cursor) -> set[tuple[str, str]]:
    cursor.execute("SELECT DISTINCT kpi_code, variant FROM marts.kpi_concept_scorecard WHERE scope = 'national'")
    return set(cursor.fetchall())
