"""Nursery API family: the forest-nursery registry, its seedling stock, and (from
``survival_inventories``) the survival inventories of the plantings.

The registry is a snapshot as of ``today``: 251 nurseries on 3,178 ha at scale 1 (scale
multiplies both; the split over regions and nurseries follows the seed), less those
founded after ``today``'s year. The registry knows a region only by name, in the
spelling of whoever registered the nursery. From 2026 six nurseries (fewer below scale
1), first in the regions short of seedlings, run a closed-root complex that adds about
6 M seedlings a year.

Seedling stock is reported per nursery, season, species and age (1-3 years) for
complete seasons only; national stock per season is exact at any scale
(``calibration.SEEDLING_STOCK``), held by the nurseries in proportion to their capacity.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from taza.simulator import survival_inventories
from taza.simulator.allocation import largest_remainder
from taza.simulator.calibration import (
    CLOSED_ROOT_FROM,
    CLOSED_ROOT_OUTPUT,
    CLOSED_ROOT_REGIONS,
    FIRST_YEAR,
    FOREST_PROFILES,
    NURSERIES,
    NURSERY_AREA_HA,
    NURSERY_OUTPUT_PER_HA,
    SEEDLING_STOCK,
    SURVIVAL_PROFILES,
    ZONE_SPECIES,
    yearly,
)
from taza.simulator.config import SimulatorConfig
from taza.simulator.periods import annual_route, last_complete_year, snapshot_route
from taza.simulator.region_names import spelling
from taza.simulator.regions import REGIONS, Region
from taza.simulator.routing import Handler
from taza.simulator.streams import stream

REGISTRY_DATASET = "nurseries"
STOCK_DATASET = "seedling_stock"
# (E) Stock by age (share of a nursery's stock) and the share of each age class ready to plant.
AGE_WEIGHT = {1: 0.45, 2: 0.35, 3: 0.20}
READY_SHARE = {1: (0.05, 0.25), 2: (0.5, 0.8), 3: (0.85, 1.0)}
# (E) When nurseries were founded, relative weights: Soviet years, 1991-2020, the
# two-billion-trees programme. A region's first nursery is always a Soviet-era one.
FOUNDING_ERAS = {(1936, 1990): 11, (1991, 2020): 5, (2021, 2025): 4}


@dataclass(frozen=True)
class Nursery:
    """A registered nursery, with what the registry record leaves out (its region's code)."""

    nursery_id: str
    name: str
    region: Region
    region_spelling: str
    area_cents: int  # hundredths of a hectare
    capacity: int  # seedlings a year, without a closed-root complex
    established_year: int
    complex_capacity: int  # seedlings a year of its closed-root complex from 2026, or 0

    def capacity_in(self, year: int) -> int:
        return self.capacity + (self.complex_capacity if year >= CLOSED_ROOT_FROM else 0)


def nurseries(config: SimulatorConfig) -> list[dict]:
    """The registry served under ``config``, in API order (nursery_id)."""
    return [dict(record) for record in _registry(config)]


def seedling_stock(config: SimulatorConfig) -> list[dict]:
    """Every stock record served under ``config``, in API order (season_year, nursery_id, species, age)."""
    return [dict(record) for record in _stock(config)]


def registered_nurseries(config: SimulatorConfig) -> list[Nursery]:
    """The nurseries of the registry snapshot, with their region."""
    return [n for n in _all_nurseries(config.seed, config.scale) if n.established_year <= config.today.year]


def nursery_totals(config: SimulatorConfig) -> dict:
    """Sums of the served registry and stock.

    Shape::

        {"registry": {"nurseries": int, "area_ha": float, "capacity_seedlings_per_year": int,
                      "closed_root_complexes": int},
         "registry_by_region": {region_kato: {"nurseries": int, "area_ha": float}},
         "stock": {season_year: {"seedlings_total": int, "seedlings_ready": int}},
         "stock_by_region": {(region_kato, season_year): {"seedlings_total": int, "seedlings_ready": int}}}
    """
    registry = _registry(config)
    kato_of = {n.nursery_id: n.region.kato for n in registered_nurseries(config)}
    by_region = {region.kato: {"nurseries": 0, "area_cents": 0} for region in REGIONS}
    for record in registry:
        sums = by_region[kato_of[record["nursery_id"]]]
        sums["nurseries"] += 1
        sums["area_cents"] += round(record["area_ha"] * 100)
    stock: dict = {}
    stock_by_region: dict = {}
    for record in _stock(config):
        year = record["season_year"]
        for sums in (stock.setdefault(year, {"seedlings_total": 0, "seedlings_ready": 0}),
                     stock_by_region.setdefault((kato_of[record["nursery_id"]], year),
                                                {"seedlings_total": 0, "seedlings_ready": 0})):
            sums["seedlings_total"] += record["seedlings_total"]
            sums["seedlings_ready"] += record["seedlings_ready"]
    return {
        "registry": {
            "nurseries": len(registry),
            "area_ha": sum(s["area_cents"] for s in by_region.values()) / 100,
            "capacity_seedlings_per_year": sum(r["capacity_seedlings_per_year"] for r in registry),
            "closed_root_complexes": sum(r["has_closed_root_complex"] for r in registry),
        },
        "registry_by_region": {kato: {"nurseries": s["nurseries"], "area_ha": s["area_cents"] / 100}
                               for kato, s in by_region.items()},
        "stock": stock,
        "stock_by_region": stock_by_region,
    }


@lru_cache(maxsize=8)
def _registry(config: SimulatorConfig) -> tuple[dict, ...]:
    year = config.today.year
    return tuple(
        {
            "nursery_id": n.nursery_id,
            "name": n.name,
            "region": n.region_spelling,
            "area_ha": n.area_cents / 100,
            "capacity_seedlings_per_year": n.capacity_in(year),
            "established_year": n.established_year,
            "has_closed_root_complex": n.complex_capacity > 0 and year >= CLOSED_ROOT_FROM,
        }
        for n in registered_nurseries(config)
    )


@lru_cache(maxsize=8)
def _stock(config: SimulatorConfig) -> tuple[dict, ...]:
    return tuple(
        record
        for year in range(FIRST_YEAR, last_complete_year(config) + 1)
        for record in _season_stock(config.seed, config.scale, year)
    )


ROUTES: dict[str, Handler] = {
    "/nursery/v1/nurseries": snapshot_route(REGISTRY_DATASET, _registry),
    "/nursery/v1/seedling-stock": annual_route(STOCK_DATASET, _stock, "season_year"),
    **survival_inventories.ROUTES,
}


@lru_cache(maxsize=8)
def _all_nurseries(seed: int, scale: float) -> tuple[Nursery, ...]:
    """Every nursery ever registered (up to 2025), ordered by id."""
    count = max(1, round(NURSERIES * scale))
    rng = stream(seed, "nursery-regions")
    # (E) Nurseries follow forest planting, and every region keeps a few.
    per_region = largest_remainder(count, [(FOREST_PROFILES[r.kato].weight + 3.0) * rng.uniform(0.8, 1.2)
                                           for r in REGIONS])
    rng = stream(seed, "nursery-areas")
    sizes = [rng.lognormvariate(0.0, 0.6) for _ in range(count)]
    areas = iter(largest_remainder(round(NURSERY_AREA_HA * 100 * scale), sizes))
    result = []
    for region, n in zip(REGIONS, per_region):
        rng = stream(seed, "nurseries", region.kato)
        places = [u for u in region.district_units if not u.endswith(" City")] or list(region.district_units)
        for i in range(n):
            area_cents = next(areas)
            place = places[i % len(places)] + (f" No. {i // len(places) + 1}" if i >= len(places) else "")
            era = rng.choices(list(FOUNDING_ERAS), list(FOUNDING_ERAS.values()))[0] if i else next(iter(FOUNDING_ERAS))
            result.append(Nursery(
                nursery_id=f"NUR-{region.kato[:2]}-{i + 1:03d}",
                name=f"{place} forest nursery",
                region=region,
                region_spelling=spelling(rng, region.kato),
                area_cents=area_cents,
                capacity=int(round(area_cents / 100 * rng.uniform(*NURSERY_OUTPUT_PER_HA), -3)),
                established_year=rng.randint(*era),
                complex_capacity=0,
            ))
    return tuple(_with_complexes(seed, scale, result))


def _with_complexes(seed: int, scale: float, registry: list[Nursery]) -> list[Nursery]:
    """The largest nursery of each closed-root region gets a complex (the first 6 x scale regions)."""
    rng = stream(seed, "closed-root")
    hosts = {}
    for kato in CLOSED_ROOT_REGIONS[: round(len(CLOSED_ROOT_REGIONS) * scale)]:
        candidates = [n for n in registry if n.region.kato == kato]
        if candidates:
            host = max(candidates, key=lambda n: n.area_cents)
            hosts[host.nursery_id] = int(round(CLOSED_ROOT_OUTPUT * rng.uniform(0.95, 1.05), -5))
    return [replace(n, complex_capacity=hosts[n.nursery_id]) if n.nursery_id in hosts else n for n in registry]


def _season_stock(seed: int, scale: float, year: int) -> list[dict]:
    """The season's national stock over the nurseries existing then, then species x age."""
    existing = [n for n in _all_nurseries(seed, scale) if n.established_year <= year]
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
