"""Regional API family: annual indicators per region (pupils, eco-education, citizen
satisfaction, municipal solid waste), one record per region and complete year.

National figures are exact (``calibration``): pupils, pupils in eco-education events
and MSW tonnes sum to their national totals, so the national processing share is the
official one to the last digit; the satisfaction shares average, weighted by the
regions' population (``regions``), to the national figure to 4 decimals. The seed
moves the figures between regions; each region keeps its character across years
(a persistent factor plus a smaller yearly one).
"""
from __future__ import annotations

from functools import lru_cache

from taza.simulator.allocation import largest_remainder
from taza.simulator.calibration import (
    ECO_EDUCATION_SHARE,
    FIRST_YEAR,
    MSW_GENERATED_T,
    MSW_PROCESSED_SHARE,
    MSW_RURAL_FACTOR,
    MSW_URBAN_FACTOR,
    PUPILS_TOTAL,
    SATISFACTION_SHARE,
    URBAN_SHARE,
    yearly,
)
from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.regions import REGIONS
from taza.simulator.streams import stream

_TENTHS = 10  # tonnes are reported to 0.1 t
_SUMS = ("pupils", "eco", "generated", "processed", "satisfied")


def annual_indicators(config: SimulatorConfig) -> list[dict]:
    """Every annual indicator record served under ``config``, in API order (year, region_kato)."""
    return [dict(record) for record in _served(config)]


def indicator_totals(config: SimulatorConfig) -> dict:
    """National figures of the served records, per year from 2021 to the last complete year.

    Shape::

        {year: {"pupils_total": int, "pupils_in_eco_events": int, "msw_generated_t": float,
                "msw_processed_t": float, "msw_processed_share": float, "satisfaction_share": float}}

    ``msw_processed_share`` is processed over generated; ``satisfaction_share`` the
    population-weighted mean of the regions' shares.
    """
    population = {region.kato: region.population for region in REGIONS}
    sums: dict[int, dict] = {}
    for record in _served(config):
        year = sums.setdefault(record["year"], dict.fromkeys(_SUMS, 0))
        year["pupils"] += record["pupils_total"]
        year["eco"] += record["pupils_in_eco_events"]
        year["generated"] += round(record["msw_generated_t"] * _TENTHS)
        year["processed"] += round(record["msw_processed_t"] * _TENTHS)
        year["satisfied"] += record["satisfaction_share"] * population[record["region_kato"]]
    total_population = sum(population.values())
    return {
        year: {
            "pupils_total": s["pupils"],
            "pupils_in_eco_events": s["eco"],
            "msw_generated_t": s["generated"] / _TENTHS,
            "msw_processed_t": s["processed"] / _TENTHS,
            "msw_processed_share": s["processed"] / s["generated"],
            "satisfaction_share": s["satisfied"] / total_population,
        }
        for year, s in sums.items()
    }


@lru_cache(maxsize=8)
def _served(config: SimulatorConfig) -> tuple[dict, ...]:
    return tuple(
        record
        for year in range(FIRST_YEAR, config.last_complete_year + 1)
        for record in _year_records(config.seed, year)
    )


DATASET = SimulatedDataset(name="annual_indicators", path="/regional/v1/annual-indicators", request="annual",
                           generate=_served, filter_field="year", totals=indicator_totals)


def _persistent(seed: int, purpose: str, low: float, high: float) -> list[float]:
    """A factor per region that holds every year: its standing on ``purpose``."""
    rng = stream(seed, "indicator-region", purpose)
    return [rng.uniform(low, high) for _ in REGIONS]


def _year_records(seed: int, year: int) -> list[dict]:
    rng = stream(seed, "indicators", year)
    population = [region.population for region in REGIONS]

    pupil_rate = _persistent(seed, "pupils", 0.14, 0.21)
    pupils = largest_remainder(yearly(PUPILS_TOTAL, year),
                               [p * r * rng.uniform(0.98, 1.02) for p, r in zip(population, pupil_rate)])
    eco_reach = _persistent(seed, "eco-education", 0.6, 1.4)
    eco = largest_remainder(round(yearly(PUPILS_TOTAL, year) * yearly(ECO_EDUCATION_SHARE, year)),
                            [n * r * rng.uniform(0.9, 1.1) for n, r in zip(pupils, eco_reach)])

    per_person = [URBAN_SHARE[r.kato] * MSW_URBAN_FACTOR + (1 - URBAN_SHARE[r.kato]) * MSW_RURAL_FACTOR
                  for r in REGIONS]
    generated_t = yearly(MSW_GENERATED_T, year)
    generated = largest_remainder(generated_t * _TENTHS,
                                  [p * k * rng.uniform(0.95, 1.05) for p, k in zip(population, per_person)])
    processing = _persistent(seed, "msw-processing", 0.5, 1.6)
    processed = largest_remainder(round(generated_t * _TENTHS * yearly(MSW_PROCESSED_SHARE, year)),
                                  [g * k * rng.uniform(0.85, 1.15) for g, k in zip(generated, processing)])

    mood = _persistent(seed, "satisfaction", -0.07, 0.07)
    offsets = [m + rng.uniform(-0.02, 0.02) for m in mood]
    centre = sum(o * p for o, p in zip(offsets, population)) / sum(population)
    satisfaction = [round(yearly(SATISFACTION_SHARE, year) + o - centre, 4) for o in offsets]

    return [
        {
            "indicator_id": f"AI-{region.kato}-{year}",
            "region_kato": region.kato,
            "region_name": region.name,
            "year": year,
            "pupils_total": pupils[i],
            "pupils_in_eco_events": eco[i],
            "satisfaction_share": satisfaction[i],
            "msw_generated_t": generated[i] / _TENTHS,
            "msw_processed_t": processed[i] / _TENTHS,
        }
        for i, region in enumerate(REGIONS)
    ]
