"""The KPI dashboard's data: rows of marts.kpi_concept_scorecard grouped into one series per KPI path.

A series is one KPI (code and variant) at one scope (national or one region), year by
year; the dashboard draws and tabulates these series and nothing else, so every number
on the page is a value of the mart. KPI names and unit labels (marts.dim_kpi) and region names
(marts.dim_region) come in English, Russian and Kazakh.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

SCORECARD_TABLE = "marts.kpi_concept_scorecard"

QUERY = f"""
SELECT s.kpi_code, s.kpi_name, s.variant, s.scope, s.region_kato, r.name_en, s.year, s.actual_value,
       s.is_partial_year, s.projected_value, s.target_value, s.target_is_interpolated, s.unit, s.direction,
       s.status, s.target_reached_year, s.target_kind, s.target_source_note, s.target_source_url,
       s.is_restated, s.restated_from,
       k.name_ru, k.name_kk, k.unit_label_en, k.unit_label_ru, k.unit_label_kk, r.name_ru, r.name_kk
FROM {SCORECARD_TABLE} AS s
LEFT JOIN marts.dim_kpi AS k ON k.kpi_code = s.kpi_code
LEFT JOIN marts.dim_region AS r ON r.region_kato = s.region_kato
WHERE s.scope IN ('national', 'region')
ORDER BY s.kpi_code, s.variant, s.scope, s.region_kato NULLS FIRST, s.year
"""


@dataclass(frozen=True)
class Point:
    """One year of a series: the scorecard row's values."""
    year: int
    actual: Decimal | None
    is_partial_year: bool
    projected: Decimal | None
    target: Decimal | None
    target_is_interpolated: bool
    status: str
    target_kind: str | None = None
    target_source_note: str | None = None
    target_source_url: str | None = None
    is_restated: bool = False
    restated_from: Decimal | None = None


def _in_languages(en: str | None, ru: str | None, kk: str | None) -> dict[str, str]:
    return {lang: text for lang, text in (("en", en), ("ru", ru), ("kk", kk)) if text}


@dataclass(frozen=True)
class Series:
    kpi_code: str
    variant: str
    scope: str
    region_kato: str | None
    unit: str
    direction: str
    target_reached_year: int | None
    points: tuple[Point, ...]
    names: Mapping[str, str] = field(default_factory=dict)
    unit_labels: Mapping[str, str] = field(default_factory=dict)
    region_names: Mapping[str, str] = field(default_factory=dict)

    def name(self, lang: str) -> str:
        """The KPI's name in a language (English where it has none, the code without any name)."""
        return self.names.get(lang) or self.names.get("en") or self.kpi_code

    def unit_label(self, lang: str) -> str:
        return self.unit_labels.get(lang) or self.unit_labels.get("en") or self.unit

    def region_name(self, lang: str) -> str | None:
        return self.region_names.get(lang) or self.region_names.get("en") or self.region_kato

    @property
    def years(self) -> list[int]:
        return [p.year for p in self.points]

    def latest_actual(self) -> Point | None:
        """The last year with an actual value (possibly a partial year)."""
        return next((p for p in reversed(self.points) if p.actual is not None), None)

    def at(self, year: int) -> Point | None:
        return next((p for p in self.points if p.year == year), None)

    def final_target(self) -> tuple[Decimal, int] | None:
        """The largest target (smallest for a KPI that should fall) and the first year it applies."""
        targets = [p for p in self.points if p.target is not None]
        if not targets:
            return None
        pick = min if self.direction == "decrease" else max
        value = pick(p.target for p in targets)
        return value, next(p.year for p in targets if p.target == value)


def group_series(rows: list[tuple]) -> list[Series]:
    """Rows in QUERY's column order (sorted by path and year) into one Series per KPI path."""
    series: dict[tuple, list[tuple]] = {}
    for row in rows:
        series.setdefault(row[:5], []).append(row)
    return [Series(kpi_code=code, variant=variant, scope=scope, region_kato=region,
                   names=_in_languages(name, items[0][21], items[0][22]),
                   unit_labels=_in_languages(*items[0][23:26]),
                   region_names=_in_languages(items[0][5], *items[0][26:28]),
                   unit=items[0][12], direction=items[0][13], target_reached_year=items[0][15],
                   points=tuple(Point(year=r[6], actual=r[7], is_partial_year=r[8], projected=r[9], target=r[10],
                                      target_is_interpolated=r[11], status=r[14], target_kind=r[16],
                                      target_source_note=r[17], target_source_url=r[18], is_restated=r[19],
                                      restated_from=r[20]) for r in items))
            for (code, name, variant, scope, region), items in series.items()]


def load_series(cursor) -> list[Series]:
    cursor.execute(QUERY)
    return group_series(cursor.fetchall())
