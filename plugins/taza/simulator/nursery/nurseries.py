"""Nursery API family: the forest-nursery registry, a snapshot as of ``today``.

251 nurseries on 3,178 ha at scale 1 (scale multiplies both; the split over regions and
nurseries follows the seed), less those founded after ``today``'s year. The registry
knows a region only by name, in the spelling of whoever registered the nursery. From
2026 six nurseries (fewer below scale 1), first in the regions short of seedlings, run a
closed-root complex that adds about 6 M seedlings a year.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from taza.simulator.allocation import largest_remainder
from taza.simulator.calibration import (
    CLOSED_ROOT_FROM,
    CLOSED_ROOT_OUTPUT,
    CLOSED_ROOT_REGIONS,
    FOREST_PROFILES,
    NURSERIES,
    NURSERY_AREA_HA,
    NURSERY_OUTPUT_PER_HA,
)
from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.region_names import spelling
from taza.simulator.regions import REGIONS, Region
from taza.simulator.streams import stream

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


def registered_nurseries(config: SimulatorConfig) -> list[Nursery]:
    """The nurseries of the registry snapshot, with their region."""
    return [n for n in all_nurseries(config.seed, config.scale) if n.established_year <= config.today.year]


def registry_totals(config: SimulatorConfig) -> dict:
    """Sums of the served registry.

    Shape::

        {"national": {"nurseries": int, "area_ha": float, "capacity_seedlings_per_year": int,
                      "closed_root_complexes": int},
         "regional": {region_kato: {"nurseries": int, "area_ha": float}}}
    """
    registry = _registry(config)
    kato_of = {n.nursery_id: n.region.kato for n in registered_nurseries(config)}
    by_region = {region.kato: {"nurseries": 0, "area_cents": 0} for region in REGIONS}
    for record in registry:
        sums = by_region[kato_of[record["nursery_id"]]]
        sums["nurseries"] += 1
        sums["area_cents"] += round(record["area_ha"] * 100)
    return {
        "national": {
            "nurseries": len(registry),
            "area_ha": sum(s["area_cents"] for s in by_region.values()) / 100,
            "capacity_seedlings_per_year": sum(r["capacity_seedlings_per_year"] for r in registry),
            "closed_root_complexes": sum(r["has_closed_root_complex"] for r in registry),
        },
        "regional": {kato: {"nurseries": s["nurseries"], "area_ha": s["area_cents"] / 100}
                     for kato, s in by_region.items()},
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


DATASET = SimulatedDataset(name="nurseries", path="/nursery/v1/nurseries", request="snapshot",
                           generate=_registry, totals=registry_totals)


@lru_cache(maxsize=8)
def all_nurseries(seed: int, scale: float) -> tuple[Nursery, ...]:
    """Every nursery ever registered (up to 2025), ordered by id, whatever ``today``."""
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
