"""Industry API family: annual stationary-source emission reports, one line per
enterprise, year and pollutant.

National totals are official for 2021, the regional totals of 2022 are official per
region (so 2022's national total is their sum), later years decline by the calibrated
rates. The seed moves emissions between regions (other years than 2022), enterprises
and pollutants, never the totals. Amounts are whole tenths of a tonne, split with the
largest-remainder method so every total adds up exactly. A year is served once it is
complete (its December is the last complete month or earlier).
"""
from __future__ import annotations

from functools import lru_cache

from taza.simulator.allocation import largest_remainder
from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.industry.calibration import (
    EMISSIONS_2022_KT,
    EMISSIONS_DECLINE,
    EMISSIONS_DEFAULT_DECLINE,
    EMISSIONS_FIRST_YEAR,
    EMISSIONS_NATIONAL_KT,
    EMISSIONS_REGIONAL_JITTER,
    NON_OBLIGED_MAX_SHARE,
    POLLUTANT_PROFILES,
    POLLUTANTS,
)
from taza.simulator.industry.enterprises import Enterprise, enterprise_list
from taza.simulator.streams import stream

TENTHS_PER_KT = 10_000


def emission_records(config: SimulatorConfig) -> list[dict]:
    """Report lines served under ``config``, ordered by (year, region_kato, bin) and
    pollutant in POLLUTANTS order."""
    return [dict(r) for r in _generate(config.seed, config.scale, config.last_complete_year)]


def emission_totals(config: SimulatorConfig) -> dict:
    """Sums of the served report lines in tonnes (exact to 0.1 t).

    Shape::

        {"national": {year: t}, "regional": {(region_kato, year): t},
         "pollutant": {(year, pollutant): t}}
    """
    national: dict = {}
    regional: dict = {}
    pollutant: dict = {}
    for r in _generate(config.seed, config.scale, config.last_complete_year):
        tenths = round(r["emissions_t"] * 10)
        for sums, key in ((national, r["year"]), (regional, (r["region_kato"], r["year"])),
                          (pollutant, (r["year"], r["pollutant"]))):
            sums[key] = sums.get(key, 0) + tenths
    return {name: {key: tenths / 10 for key, tenths in sums.items()}
            for name, sums in (("national", national), ("regional", regional), ("pollutant", pollutant))}


DATASET = SimulatedDataset(name="emissions_annual", path="/industry/v1/emissions-annual", request="annual",
                           generate=emission_records, filter_field="year", totals=emission_totals)


def _national_tenths(year: int) -> int:
    """The national total of ``year`` in tenths of a tonne (calibrated, exact)."""
    if year in EMISSIONS_NATIONAL_KT:
        return round(EMISSIONS_NATIONAL_KT[year] * TENTHS_PER_KT)
    total = sum(_regional_2022_tenths().values())
    for later in range(2023, year + 1):
        total = round(total * (1 - EMISSIONS_DECLINE.get(later, EMISSIONS_DEFAULT_DECLINE)))
    return total


def _regional_2022_tenths() -> dict[str, int]:
    return {kato: round(kt * TENTHS_PER_KT) for kato, kt in EMISSIONS_2022_KT.items()}


@lru_cache(maxsize=8)
def _generate(seed: int, scale: float, last_year: int) -> tuple[dict, ...]:
    by_region: dict[str, list[Enterprise]] = {kato: [] for kato in EMISSIONS_2022_KT}
    for e in enterprise_list(seed, scale):
        by_region[e.region_kato].append(e)
    records = []
    for year in range(EMISSIONS_FIRST_YEAR, last_year + 1):
        for kato, total in sorted(_regional_tenths(seed, year).items()):
            reporters = sorted(by_region[kato], key=lambda e: e.bin)
            for e, tenths in zip(reporters, _enterprise_tenths(seed, kato, year, total, reporters)):
                records += _report_lines(seed, year, e, tenths)
    return tuple(records)


def _regional_tenths(seed: int, year: int) -> dict[str, int]:
    """2022 is official per region; other years share the national total by 2022 shares
    moved +-5 %."""
    if year == 2022:
        return _regional_2022_tenths()
    rng = stream(seed, "emissions-regions", year)
    katos = list(EMISSIONS_2022_KT)
    weights = [EMISSIONS_2022_KT[k] * rng.uniform(1 - EMISSIONS_REGIONAL_JITTER, 1 + EMISSIONS_REGIONAL_JITTER)
               for k in katos]
    return dict(zip(katos, largest_remainder(_national_tenths(year), weights)))


def _enterprise_tenths(seed: int, kato: str, year: int, total: int, reporters: list[Enterprise]) -> list[int]:
    """Enterprises below the AMS threshold keep their nominal tonnes (+-10 %), together at
    most a quarter of the region; the obliged share the rest by size (+-10 %)."""
    rng = stream(seed, "emissions-enterprises", kato, year)
    small = [e.nominal_tonnes * 10 * rng.uniform(0.9, 1.1) if not e.obliged else 0.0 for e in reporters]
    small_share = min(sum(small), NON_OBLIGED_MAX_SHARE * total) / sum(small) if sum(small) else 0.0
    large = [e.size * rng.uniform(0.9, 1.1) if e.obliged else 0.0 for e in reporters]
    large_total = total - small_share * sum(small)
    weights = [s * small_share + (lw * large_total / sum(large) if lw else 0.0) for s, lw in zip(small, large)]
    return largest_remainder(total, weights)


def _report_lines(seed: int, year: int, e: Enterprise, tenths: int) -> list[dict]:
    """An enterprise's emissions split over pollutants by its sector's profile (+-15 %)."""
    rng = stream(seed, "emissions-pollutants", e.bin, year)
    profile = POLLUTANT_PROFILES[e.sector]
    split = largest_remainder(tenths, [share * rng.uniform(0.85, 1.15) for share in profile])
    return [
        {
            "report_id": f"ER-{year}-{e.bin}-{pollutant}",
            "bin": e.bin,
            "region_kato": e.region_kato,
            "year": year,
            "pollutant": pollutant,
            "emissions_t": amount / 10,
        }
        for pollutant, amount in zip(POLLUTANTS, split)
    ]
