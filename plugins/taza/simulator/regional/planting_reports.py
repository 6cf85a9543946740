"""Regional API family (akimat reports): monthly planting reports.

One record per district, month and programme with planting that month (months
without planting have no record). National totals per programme and year are exact
(see ``calibration``); the seed only moves trees between regions, districts and
months. Whole years are generated, then cut at the config's last complete month; as
``today`` moves on, new months are appended and corrections come in. Reports arrive 2-9
days after their month, so for the newest month ``reported_at`` can lie a few days after
``today``.

About 5 % of the reports are first filed with a preliminary figure (trees 3-20 % off
the final one, area in proportion) and corrected 15-60 days after filing. Until the
correction day lies before ``today`` the preliminary figures and the first
``reported_at`` are served; from then on the final figures, with ``reported_at`` the
correction time. The calibrated totals hold for the final figures, so a year's totals
are exact once its last correction is in (by mid-March of the next year at the latest).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from taza.simulator.allocation import largest_remainder
from taza.simulator.calibration import (
    CITY_WEIGHT,
    FIRST_YEAR,
    FOREST_ANCHORS,
    FOREST_PROFILES,
    PROGRAMMES,
    SEASON_PERCENT,
    SFF_AREA_HA,
    URBAN_DENSITY_PER_HA,
    annual_trees,
)
from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.regions import REGIONS, Region

FOREST = "state_forest_fund"
REPORTING_TZ = timezone(timedelta(hours=5))
CORRECTED_SHARE = 0.05
PRELIMINARY_DEVIATION = (0.03, 0.20)  # relative, either way
CORRECTION_DELAY_DAYS = (15, 60)


@dataclass(frozen=True)
class Correction:
    """A report's preliminary figures and when they were replaced by the final ones."""

    trees_planted: int
    area_ha: float
    corrected_at: datetime


def planting_reports(config: SimulatorConfig) -> list[dict]:
    """Every planting report served under ``config``, in API order
    (period, region_kato, district, programme)."""
    return [dict(record) for record in _served(config)]


def final_planting_reports(config: SimulatorConfig) -> list[dict]:
    """The reports served under ``config`` as they read once every correction is in."""
    return [dict(record) for record, _ in _generated(config)]


def planting_corrections(config: SimulatorConfig) -> list[dict]:
    """Every report served under ``config`` that the source corrects, whether or not the
    correction is in by ``today``: its identity, final and preliminary figures, when it
    was first filed and when corrected (in API order)."""
    return [{"report_id": record["report_id"], "period": record["period"], "programme": record["programme"],
             "region_kato": record["region_kato"],
             "trees_planted": record["trees_planted"], "area_ha": record["area_ha"],
             "preliminary_trees_planted": correction.trees_planted, "preliminary_area_ha": correction.area_ha,
             "first_reported_at": record["reported_at"], "corrected_at": correction.corrected_at.isoformat()}
            for record, correction in _generated(config) if correction is not None]


def planting_totals(config: SimulatorConfig) -> dict:
    """Sums of the served planting reports (what the API returns across all pages).

    Shape::

        {"national": {(year, programme): {"trees_planted": int, "area_ha": float}},
         "regional": {(region_kato, year, programme): {"trees_planted": int, "area_ha": float}}}

    Every year from 2021 to the last complete month's year is present for every
    programme (and region), with zeros where nothing was planted. ``area_ha`` is
    rounded to 2 decimals; the current year holds only the months served so far.
    """
    last_year = int(config.last_complete_month[:4])
    years = range(FIRST_YEAR, last_year + 1)
    national = {(y, p): [0, 0] for y in years for p in PROGRAMMES}
    regional = {(r.kato, y, p): [0, 0] for r in REGIONS for y in years for p in PROGRAMMES}
    for record in _served(config):
        year = int(record["period"][:4])
        area_cents = round(record["area_ha"] * 100)
        for sums in (national[year, record["programme"]], regional[record["region_kato"], year, record["programme"]]):
            sums[0] += record["trees_planted"]
            sums[1] += area_cents

    def as_figures(sums: dict) -> dict:
        return {key: {"trees_planted": trees, "area_ha": cents / 100} for key, (trees, cents) in sums.items()}

    return {"national": as_figures(national), "regional": as_figures(regional)}


@lru_cache(maxsize=8)
def _served(config: SimulatorConfig) -> tuple[dict, ...]:
    return tuple(_as_of(record, correction, config.today) for record, correction in _generated(config))


DATASET = SimulatedDataset(name="planting_reports", path="/regional/v1/planting-reports", request="monthly",
                           generate=_served, filter_field="period", totals=planting_totals)


def _generated(config: SimulatorConfig) -> tuple[tuple[dict, Correction | None], ...]:
    return _generate(config.seed, config.scale, config.last_complete_month)


@lru_cache(maxsize=8)
def _generate(seed: int, scale: float, last_month: str) -> tuple[tuple[dict, Correction | None], ...]:
    """Final records up to ``last_month``, each with its correction, if any."""
    records = [
        record
        for year in range(FIRST_YEAR, int(last_month[:4]) + 1)
        for programme in PROGRAMMES
        for record in _programme_year(seed, scale, programme, year)
        if record["period"] <= last_month
    ]
    records.sort(key=lambda r: (r["period"], r["region_kato"], r["district"], r["programme"]))
    return tuple((record, _correction(seed, record)) for record in records)


def _as_of(record: dict, correction: Correction | None, today: date) -> dict:
    """The report as the akimat's system shows it on ``today``."""
    if correction is None:
        return record
    if correction.corrected_at.date() < today:
        return {**record, "reported_at": correction.corrected_at.isoformat()}
    return {**record, "trees_planted": correction.trees_planted, "area_ha": correction.area_ha}


def _correction(seed: int, record: dict) -> Correction | None:
    """Whether the report is first filed with preliminary figures and, if so, which and
    when it is corrected: trees off by 3-20 % (at least one tree), the area in proportion
    (at least 0.01 ha), corrected 15-60 days after the first filing, in office hours."""
    rng = _rng(seed, "planting-correction", record["report_id"])
    if rng.random() >= CORRECTED_SHARE:
        return None
    final = record["trees_planted"]
    deviation = rng.uniform(*PRELIMINARY_DEVIATION) * rng.choice((-1, 1))
    trees = max(1, round(final * (1 + deviation)))
    if trees == final:
        trees = final + 1
    area_cents = max(1, round(record["area_ha"] * 100 * trees / final))
    first = datetime.fromisoformat(record["reported_at"])
    minute = rng.randint(9 * 60, 18 * 60 - 1)
    day = first.date() + timedelta(days=rng.randint(*CORRECTION_DELAY_DAYS))
    return Correction(trees, area_cents / 100, datetime.combine(day, time(minute // 60, minute % 60), REPORTING_TZ))


def _rng(seed: int, *labels: object) -> random.Random:
    """An independent stream per purpose, so adding a draw somewhere shifts nothing else."""
    return random.Random(":".join(map(str, (seed, *labels))))


def _programme_year(seed: int, scale: float, programme: str, year: int) -> list[dict]:
    trees = _regional_trees(seed, programme, year)
    area_cents = _regional_area_cents(programme, year, trees)
    return [
        record
        for region in REGIONS
        for record in _region_records(seed, scale, programme, year, region, trees[region.kato], area_cents[region.kato])
    ]


def _anchors(programme: str, year: int) -> dict:
    if programme != FOREST:
        return {}
    return {kato: figure for (kato, anchor_year), figure in FOREST_ANCHORS.items() if anchor_year == year}


def _regional_trees(seed: int, programme: str, year: int) -> dict[str, int]:
    """The national total split over regions: observed region-years are pinned, the
    rest shared by weight with +-20 % year-to-year variation."""
    pinned = {kato: figure.trees for kato, figure in _anchors(programme, year).items()}
    free = [region for region in REGIONS if region.kato not in pinned]
    rng = _rng(seed, "regions", programme, year)
    weights = [_regional_weight(programme, region) * rng.uniform(0.8, 1.2) for region in free]
    split = largest_remainder(annual_trees(programme, year) - sum(pinned.values()), weights)
    return pinned | {region.kato: trees for region, trees in zip(free, split)}


def _regional_weight(programme: str, region: Region) -> float:
    if programme == FOREST:
        return FOREST_PROFILES[region.kato].weight
    return region.population * (CITY_WEIGHT[programme] if region.type == "city_republican" else 1.0)


def _regional_area_cents(programme: str, year: int, trees: dict[str, int]) -> dict[str, int]:
    """Planted area per region in hundredths of a hectare: trees over planting density,
    except pinned region-years; where the national area is official (2021), the free
    regions share the rest of it in proportion."""
    pinned = {kato: figure.area_ha * 100 for kato, figure in _anchors(programme, year).items()}
    free = [region for region in REGIONS if region.kato not in pinned]
    natural = [trees[region.kato] * 100 / _density(programme, region) for region in free]
    national_ha = SFF_AREA_HA.get(year) if programme == FOREST else None
    if national_ha is None:
        split = [round(cents) for cents in natural]
    else:
        split = largest_remainder(national_ha * 100 - sum(pinned.values()), natural)
    return pinned | {region.kato: cents for region, cents in zip(free, split)}


def _density(programme: str, region: Region) -> int:
    return FOREST_PROFILES[region.kato].density_per_ha if programme == FOREST else URBAN_DENSITY_PER_HA


def _region_records(
    seed: int, scale: float, programme: str, year: int, region: Region, trees: int, area_cents: int
) -> list[dict]:
    """A region-year's trees and area split over district x planting-month cells.

    Districts keep their relative size across years (seeded once per region); each
    cell adds +-30 % noise on trees and +-10 % on planting density. Cells without
    trees are dropped.
    """
    districts = region.districts(scale)
    size_rng = _rng(seed, "district-size", region.kato)
    sizes = [size_rng.lognormvariate(0.0, 0.5) for _ in districts]
    season = SEASON_PERCENT[region.climate]
    cells = [(d, month) for d in range(len(districts)) for month in season]
    rng = _rng(seed, "cells", programme, year, region.kato)
    cell_trees = largest_remainder(trees, [sizes[d] * season[month] * rng.uniform(0.7, 1.3) for d, month in cells])
    relative_density = [rng.uniform(0.9, 1.1) for _ in cells]
    # Every reported planting gets at least 0.01 ha, when the region's area allows it.
    planted = [1 if t else 0 for t in cell_trees]
    floor = 1 if area_cents >= sum(planted) else 0
    extra = largest_remainder(area_cents - floor * sum(planted), [t / k for t, k in zip(cell_trees, relative_density)])
    cell_cents = [floor * p + e for p, e in zip(planted, extra)]
    code = PROGRAMMES[programme][0]
    records = []
    for (d, month), n_trees, cents in zip(cells, cell_trees, cell_cents):
        if n_trees == 0:
            continue
        records.append({
            "report_id": f"PR-{region.kato}-{d + 1:02d}-{year}{month:02d}-{code}",
            "region_kato": region.kato,
            "region_name": region.name,
            "district": districts[d],
            "period": f"{year}-{month:02d}",
            "programme": programme,
            "trees_planted": n_trees,
            "area_ha": cents / 100,
            "reported_at": _reported_at(rng, year, month),
        })
    return records


def _reported_at(rng: random.Random, year: int, month: int) -> str:
    """2-9 days after the month ends, in office hours, Kazakhstan time (UTC+5)."""
    next_month = date(year + month // 12, month % 12 + 1, 1)
    day = next_month + timedelta(days=rng.randint(1, 8))
    minute = rng.randint(9 * 60, 18 * 60 - 1)
    stamp = datetime.combine(day, time(minute // 60, minute % 60), REPORTING_TZ)
    return stamp.isoformat()
