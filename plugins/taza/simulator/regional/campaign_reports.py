"""Regional API family: monthly Taza Kazakhstan campaign reports, one per district and
month with campaign activity.

National totals per year are exact (``calibration.CAMPAIGN_YEARS``); where the first
half of a year is official, January-June holds exactly that figure. The seed moves
activity between regions, districts and months. Trees are not drawn here: a report
carries the campaign trees of the planting report for the same district and month
(``planting_reports``), in its final figures, so the two feeds agree exactly once the planting
report's correction, if any, is in. ``events`` counts the organised actions
the campaign reports nationally (183 in 2024), so most district-months report
participants without an event of their own. Reports name the region in the spelling of
the akimat that filed them (``region_names``); the KATO code is always current. Whole
years are generated, then cut at the last complete month.
"""
from __future__ import annotations

from dataclasses import asdict, fields
from functools import lru_cache

from taza.simulator.allocation import largest_remainder
from taza.simulator.calibration import (
    CAMPAIGN_FIRST_HALF,
    CAMPAIGN_FIRST_YEAR,
    CAMPAIGN_MONTH_WEIGHT,
    CAMPAIGN_YEARS,
    CITY_WEIGHT,
    FIRST_YEAR,
    CampaignFigures,
    yearly,
)
from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.region_names import spelling
from taza.simulator.regional.planting_reports import final_planting_reports
from taza.simulator.regions import REGIONS
from taza.simulator.streams import stream

METRICS = tuple(f.name for f in fields(CampaignFigures))
# Reported precision, as units per tonne / hectare: waste to 0.1 t, area to 0.01 ha.
_UNITS = {"waste_collected_t": 10, "area_cleaned_ha": 100}


def campaign_reports(config: SimulatorConfig) -> list[dict]:
    """Every campaign report served under ``config``, in API order (period, region_kato, district)."""
    return [dict(record) for record in _served(config)]


def campaign_totals(config: SimulatorConfig) -> dict:
    """Sums of the served campaign reports.

    Shape::

        {"national": {year: {metric: value}}, "regional": {(region_kato, year): {metric: value}}}

    Metrics are the ``CampaignFigures`` fields plus ``trees_planted``; every year from
    2021 to the last complete month's year is present for every region, with zeros
    where nothing happened. Waste and area are rounded to their reported precision.
    """
    years = range(FIRST_YEAR, int(config.last_complete_month[:4]) + 1)
    metrics = (*METRICS, "trees_planted")
    national = {year: dict.fromkeys(metrics, 0) for year in years}
    regional = {(region.kato, year): dict.fromkeys(metrics, 0) for region in REGIONS for year in years}
    for record in _served(config):
        year = int(record["period"][:4])
        for sums in (national[year], regional[record["region_kato"], year]):
            for metric in metrics:
                sums[metric] += round(record[metric] * _UNITS.get(metric, 1))

    def as_figures(sums: dict) -> dict:
        return {key: {m: v / _UNITS[m] if m in _UNITS else v for m, v in figures.items()}
                for key, figures in sums.items()}

    return {"national": as_figures(national), "regional": as_figures(regional)}


@lru_cache(maxsize=8)
def _served(config: SimulatorConfig) -> tuple[dict, ...]:
    last_month = config.last_complete_month
    trees = {(r["region_kato"], r["district"], r["period"]): r["trees_planted"]
             for r in final_planting_reports(config) if r["programme"] == "taza_campaign"}
    records = [
        record
        for year in range(CAMPAIGN_FIRST_YEAR, int(last_month[:4]) + 1)
        for record in _year_records(config.seed, config.scale, year, trees)
        if record["period"] <= last_month
    ]
    records.sort(key=lambda r: (r["period"], r["region_kato"], r["district"]))
    return tuple(records)


DATASET = SimulatedDataset(name="campaign_reports", path="/regional/v1/campaign-reports", request="monthly",
                           generate=_served, filter_field="period", totals=campaign_totals)


def _cells(seed: int, scale: float, year: int) -> tuple[list[tuple], list[float]]:
    """Every (region, district index, district, month) of the year, with its activity weight.

    A region's activity follows its population (cities weighted up) with +-30 % per year;
    districts keep their relative size across years; each cell adds +-30 % noise.
    """
    cells, weights = [], []
    for region in REGIONS:
        districts = region.districts(scale)
        size_rng = stream(seed, "campaign-district-size", region.kato)
        sizes = [size_rng.lognormvariate(0.0, 0.5) for _ in districts]
        rng = stream(seed, "campaign-cells", year, region.kato)
        city = CITY_WEIGHT["taza_campaign"] if region.type == "city_republican" else 1.0
        intensity = region.population * city * rng.uniform(0.7, 1.3) / sum(sizes)
        for d, district in enumerate(districts):
            for month, month_weight in CAMPAIGN_MONTH_WEIGHT.items():
                cells.append((region, d, district, month))
                weights.append(intensity * sizes[d] * month_weight * rng.uniform(0.7, 1.3))
    return cells, weights


def _allocate(total: int, first_half: int | None, weights: list[float], months: list[int]) -> list[int]:
    """``total`` over the cells; with a pinned ``first_half``, January-June gets exactly it."""
    if first_half is None:
        return largest_remainder(total, weights)
    early = largest_remainder(first_half, [w if m <= 6 else 0.0 for w, m in zip(weights, months)])
    late = largest_remainder(total - first_half, [w if m > 6 else 0.0 for w, m in zip(weights, months)])
    return [a + b for a, b in zip(early, late)]


def _year_records(seed: int, scale: float, year: int, trees: dict) -> list[dict]:
    cells, base = _cells(seed, scale, year)
    months = [cell[3] for cell in cells]
    pinned = CAMPAIGN_FIRST_HALF.get(year, {})
    columns = {}
    for metric, total in asdict(yearly(CAMPAIGN_YEARS, year)).items():
        rng = stream(seed, "campaign-metric", metric, year)
        unit = _UNITS.get(metric, 1)
        first_half = pinned[metric] * unit if metric in pinned else None
        columns[metric] = _allocate(total * unit, first_half, [w * rng.uniform(0.8, 1.2) for w in base], months)
    name_rngs = {region.kato: stream(seed, "campaign-names", year, region.kato) for region in REGIONS}
    records = []
    for i, (region, d, district, month) in enumerate(cells):
        period = f"{year}-{month:02d}"
        values = {metric: columns[metric][i] for metric in METRICS}
        cell_trees = trees.get((region.kato, district, period), 0)
        if not cell_trees and not any(values.values()):
            continue
        records.append({
            "report_id": f"CR-{region.kato}-{d + 1:02d}-{year}{month:02d}",
            "region_kato": region.kato,
            "region_name": spelling(name_rngs[region.kato], region.kato),
            "district": district,
            "period": period,
            "events": values["events"],
            "participants": values["participants"],
            "volunteers": values["volunteers"],
            "waste_collected_t": values["waste_collected_t"] / _UNITS["waste_collected_t"],
            "area_cleaned_ha": values["area_cleaned_ha"] / _UNITS["area_cleaned_ha"],
            "trees_planted": cell_trees,
            "dumps_eliminated": values["dumps_eliminated"],
        })
    return records
