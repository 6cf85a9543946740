"""Nursery API family: seedling stock, per nursery, season, species and age (1-3 years).

Stock is reported for complete seasons only; national stock per season is exact at any
scale (``calibration.SEEDLING_STOCK``), held by the nurseries existing that season
(``nurseries``) in proportion to their capacity.
"""
from __future__ import annotations

from functools import lru_cache

from taza.simulator.allocation import largest_remainder
from taza.simulator.calibration import FIRST_YEAR, SEEDLING_STOCK, SURVIVAL_PROFILES, ZONE_SPECIES, yearly
from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.nursery.nurseries import Nursery, all_nurseries, registered_nurseries
from taza.simulator.streams import stream

# (E) Stock by age (share of a nursery's stock) and the share of each age class ready to plant.
AGE_WEIGHT = {1: 0.45, 2: 0.35, 3: 0.20}
READY_SHARE = {1: (0.05, 0.25), 2: (0.5, 0.8), 3: (0.85, 1.0)}


def seedling_stock(config: SimulatorConfig) -> list[dict]:
    """Every stock record served under ``config``, in API order (season_year, nursery_id, species, age)."""
    return [dict(record) for record in _stock(config)]


def stock_totals(config: SimulatorConfig) -> dict:
    """Sums of the served stock.

    Shape::

        {"national": {season_year: {"seedlings_total": int, "seedlings_ready": int}},
         "regional": {(region_kato, season_year): {"seedlings_total": int, "seedlings_ready": int}}}
    """
    kato_of = {n.nursery_id: n.region.kato for n in registered_nurseries(config)}
    stock: dict = {}
    stock_by_region: dict = {}
    for record in _stock(config):
        year = record["season_year"]
        for sums in (stock.setdefault(year, {"seedlings_total": 0, "seedlings_ready": 0}),
                     stock_by_region.setdefault((kato_of[record["nursery_id"]], year),
                                                {"seedlings_total": 0, "seedlings_ready": 0})):
            sums["seedlings_total"] += record["seedlings_total"]
            sums["seedlings_ready"] += record["seedlings_ready"]
    return {"national": stock, "regional": stock_by_region}


@lru_cache(maxsize=8)
def _stock(config: SimulatorConfig) -> tuple[dict, ...]:
    return tuple(
        record
        for year in range(FIRST_YEAR, config.last_complete_year + 1)
        for record in _season_stock(config.seed, config.scale, year)
    )


DATASET = SimulatedDataset(name="seedling_stock", path="/nursery/v1/seedling-stock", request="annual",
                           generate=_stock, filter_field="season_year", totals=stock_totals)


def _season_stock(seed: int, scale: float, year: int) -> list[dict]:
    """The season's national stock over the nurseries existing then, then species x age."""
    existing = [n for n in all_nurseries(seed, scale) if n.established_year <= year]
    rng = stream(seed, "stock", year)
    held = largest_remainder(yearly(SEEDLING_STOCK, year),
                             [n.capacity_in(year) * rng.uniform(0.7, 1.3) for n in existing])
    records = []
    for nursery, total in zip(existing, held):
        species = _species(seed, nursery)
        ages = [age for age in AGE_WEIGHT if age <= year - nursery.established_year + 1]
        cells = [(s, age) for s in species for age in ages]
        weights = [(2.0 if s == species[0] else 1.0) * AGE_WEIGHT[age] * rng.uniform(0.7, 1.3) for s, age in cells]
        for (kind, age), n_total in zip(cells, largest_remainder(total, weights)):
            if n_total == 0:
                continue
            records.append({
                "stock_id": f"ST-{nursery.nursery_id}-{year}-{kind}-{age}",
                "nursery_id": nursery.nursery_id,
                "season_year": year,
                "species": kind,
                "age_years": age,
                "seedlings_ready": int(n_total * rng.uniform(*READY_SHARE[age])),
                "seedlings_total": n_total,
            })
    return records


def _species(seed: int, nursery: Nursery) -> list[str]:
    """The zone's staple and two or three more of the zone's species, fixed per nursery."""
    staple, *others = ZONE_SPECIES[SURVIVAL_PROFILES[nursery.region.kato].zone]
    rng = stream(seed, "species", nursery.nursery_id)
    return [staple, *rng.sample(others, min(len(others), rng.randint(2, 3)))]
