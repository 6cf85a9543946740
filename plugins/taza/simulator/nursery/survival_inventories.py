"""Nursery API family: survival inventories of state-forest-fund plantings.

A sample of each region's planting is followed up on sites: inspected one year and
three years after planting, each inspection one record. The sites hold 5-15 % of the
region's state-forest-fund trees of that year as the planting reports give them
(``regional.planting_reports``); scale multiplies the number of sites. Year-1 survival per site is drawn
from a Beta distribution around the region's zone mean (``calibration.SURVIVAL_PROFILES``);
year 3 lies 5-15 points lower, capped where the observed three-year survival is capped
(Akmola and Jetisu, 60 %). Only inspections in complete years are served.
"""
from __future__ import annotations

from functools import lru_cache

from taza.simulator.allocation import largest_remainder
from taza.simulator.calibration import (
    FIRST_YEAR,
    FOREST_PROFILES,
    SURVIVAL_CONCENTRATION,
    SURVIVAL_PROFILES,
    SURVIVAL_SAMPLE_SHARE,
    SURVIVAL_SITES,
    YEAR3_CAP,
    YEAR3_DROP,
)
from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.regional.planting_reports import planting_totals
from taza.simulator.regions import REGIONS, Region
from taza.simulator.streams import stream

INSPECTIONS = {"year_1": 1, "year_3": 3}  # inspection type -> years after planting


def survival_inventories(config: SimulatorConfig) -> list[dict]:
    """Every inventory served under ``config``, in API order (inspection_year, site_id, inspection_type)."""
    return [dict(record) for record in _served(config)]


def survival_totals(config: SimulatorConfig) -> dict:
    """Sums of the served inventories.

    Shape::

        {"national": {(planting_year, inspection_type): {"planted": int, "surviving": int}},
         "regional": {(region_kato, planting_year, inspection_type): {"planted": int, "surviving": int}}}

    Only combinations with at least one served inspection are present.
    """
    national: dict = {}
    regional: dict = {}
    for record in _served(config):
        keys = (record["planting_year"], record["inspection_type"])
        for sums in (national.setdefault(keys, {"planted": 0, "surviving": 0}),
                     regional.setdefault((record["region_kato"], *keys), {"planted": 0, "surviving": 0})):
            sums["planted"] += record["planted"]
            sums["surviving"] += record["surviving"]
    return {"national": national, "regional": regional}


@lru_cache(maxsize=8)
def _served(config: SimulatorConfig) -> tuple[dict, ...]:
    last_year = config.last_complete_year
    forest = {(kato, year): figures["trees_planted"]
              for (kato, year, programme), figures in planting_totals(config)["regional"].items()
              if programme == "state_forest_fund"}
    records = [
        record
        for planting_year in range(FIRST_YEAR, last_year)
        for region in REGIONS
        for record in _sites(config.seed, config.scale, region, planting_year, forest[region.kato, planting_year])
        if record["inspection_year"] <= last_year
    ]
    records.sort(key=lambda r: (r["inspection_year"], r["site_id"], r["inspection_type"]))
    return tuple(records)


DATASET = SimulatedDataset(name="survival_inventories", path="/nursery/v1/survival-inventories", request="annual",
                           generate=_served, filter_field="inspection_year", totals=survival_totals)


def _sites(seed: int, scale: float, region: Region, planting_year: int, forest_trees: int) -> list[dict]:
    """A region-year's sample sites, each with its year-1 and year-3 inspection."""
    rng = stream(seed, "survival-sites", region.kato, planting_year)
    count = max(1, round(SURVIVAL_SITES * scale))
    sampled = round(forest_trees * rng.uniform(*SURVIVAL_SAMPLE_SHARE))
    planted = largest_remainder(sampled, [rng.lognormvariate(0.0, 0.7) for _ in range(count)])
    profile = SURVIVAL_PROFILES[region.kato]
    alpha = profile.year1_mean * SURVIVAL_CONCENTRATION
    beta = (1 - profile.year1_mean) * SURVIVAL_CONCENTRATION
    records = []
    for i, trees in enumerate(planted):
        density = FOREST_PROFILES[region.kato].density_per_ha * rng.uniform(0.85, 1.15)
        year1 = rng.betavariate(alpha, beta)
        year3 = min(max(0.0, year1 - rng.uniform(*YEAR3_DROP)), YEAR3_CAP.get(region.kato, 1.0))
        if trees == 0:
            continue
        site_id = f"SFF-{region.kato[:2]}-{planting_year}-{i + 1:03d}"
        for inspection_type, share in (("year_1", year1), ("year_3", year3)):
            records.append({
                "inventory_id": f"SI-{site_id}-{inspection_type}",
                "site_id": site_id,
                "region_kato": region.kato,
                "planting_year": planting_year,
                "inspection_year": planting_year + INSPECTIONS[inspection_type],
                "inspection_type": inspection_type,
                "area_ha": max(0.01, round(trees / density, 2)),
                "planted": trees,
                "surviving": int(trees * share),
            })
    return records
