"""Industry API family: the enterprise registry, each enterprise with its AMS (automated
emission monitoring) status.

The 91 AMS-obliged enterprises are the same at every scale; the seed decides which of
them are installed, connected and deferred (the counts are official and exact) and
when. ``scale`` only adds enterprises outside the obligation. Every other industry
dataset (emissions, commitments, plantings, telemetry) is keyed by these BINs.

The registry is served as a snapshot at the end of the last complete month: an
installation or connection after that date is not yet known to it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.industry.calibration import (
    AMS_CONNECTED,
    AMS_CONNECTED_BETWEEN,
    AMS_CONNECTION_LAG_DAYS,
    AMS_DEFERRED,
    AMS_DEFERRED_YEARS,
    AMS_INSTALLED,
    AMS_INSTALLED_BETWEEN,
    AMS_MANDATORY_FROM,
    EMISSIONS_2022_KT,
    NON_OBLIGED_HAZARD_WEIGHTS,
    NON_OBLIGED_PER_SCALE,
    NON_OBLIGED_SECTORS,
    NON_OBLIGED_TONNES,
    OBLIGED_SITES,
    PINNED_AMS,
)
from taza.simulator.regions import REGIONS
from taza.simulator.streams import stream

REGION_BY_KATO = {region.kato: region for region in REGIONS}


@dataclass(frozen=True)
class Enterprise:
    bin: str
    name: str
    holding: str | None
    region_kato: str
    sector: str
    hazard_category: int
    obliged: bool
    size: int  # obliged only: relative emitter size 1-10 (emission share, stacks)
    nominal_tonnes: float  # others only: emissions a year before the regional fit
    installed_at: date | None = None
    connected_at: date | None = None
    deferred_to: int | None = None
    stacks: int = 0  # stacks monitored at scale 1 (0 unless connected)

    def stack_count(self, scale: float) -> int:
        """Monitored stacks at ``scale`` (at least one once connected)."""
        return max(1, round(self.stacks * scale)) if self.connected_at else 0


def enterprise_records(config: SimulatorConfig) -> list[dict]:
    """The registry as served (ordered by BIN), as of the snapshot date."""
    return [dict(record) for record in _records(config.seed, config.scale, snapshot_date(config))]


def snapshot_date(config: SimulatorConfig) -> date:
    """The last day of the last complete month."""
    year, month = map(int, config.last_complete_month.split("-"))
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def ams_totals(config: SimulatorConfig) -> dict[str, int]:
    """Counts over the served registry: obliged, installed, connected, deferred."""
    records = _records(config.seed, config.scale, snapshot_date(config))
    return {
        "enterprises": len(records),
        "obliged": sum(r["ams_obliged"] for r in records),
        "installed": sum(r["ams_installed"] for r in records),
        "connected": sum(r["ams_connected"] for r in records),
        "deferred": sum(r["ams_deferred_to"] is not None for r in records),
    }


DATASET = SimulatedDataset(name="enterprises", path="/industry/v1/enterprises", request="snapshot",
                           generate=enterprise_records, totals=ams_totals,
                           echo=lambda config: {"as_of": snapshot_date(config).isoformat()})


@lru_cache(maxsize=8)
def _records(seed: int, scale: float, as_of: date) -> tuple[dict, ...]:
    return tuple(_record(e, as_of) for e in sorted(enterprise_list(seed, scale), key=lambda e: e.bin))


def _record(e: Enterprise, as_of: date) -> dict:
    installed = e.installed_at is not None and e.installed_at <= as_of
    connected = e.connected_at is not None and e.connected_at <= as_of
    return {
        "bin": e.bin,
        "name": e.name,
        "holding": e.holding,
        "region_kato": e.region_kato,
        "sector": e.sector,
        "hazard_category": e.hazard_category,
        "ams_obliged": e.obliged,
        "ams_obliged_since": AMS_MANDATORY_FROM.isoformat() if e.obliged else None,
        "ams_installed": installed,
        "ams_installed_at": e.installed_at.isoformat() if installed else None,
        "ams_connected": connected,
        "ams_connected_at": e.connected_at.isoformat() if connected else None,
        "ams_deferred_to": e.deferred_to,
    }


@lru_cache(maxsize=8)
def enterprise_list(seed: int, scale: float) -> tuple[Enterprise, ...]:
    """Every enterprise, obliged first, with its AMS dates not cut at the snapshot."""
    obliged = _with_ams_status(seed, [_obliged(seed, i, site) for i, site in enumerate(OBLIGED_SITES)])
    count = round(NON_OBLIGED_PER_SCALE * scale)
    names: set[str] = set()
    others = [_non_obliged(seed, len(OBLIGED_SITES) + i, names) for i in range(count)]
    return tuple(obliged + others)


def _bin(seed: int, serial: int) -> str:
    """A 12-digit BIN: registration YYMM, '40' (resident legal entity, head office), a
    5-digit serial and the official mod-11 check digit. The serial keeps BINs unique."""
    rng = stream(seed, "bin", serial)
    year, month = rng.randint(1995, 2019), rng.randint(1, 12)
    for shift in range(12):
        body = f"{year % 100:02d}{(month + shift) % 12 + 1:02d}40{serial:05d}"
        digits = [int(c) for c in body]
        check = sum(d * w for d, w in zip(digits, range(1, 12))) % 11
        if check == 10:
            check = sum(d * w for d, w in zip(digits, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))) % 11
        if check != 10:
            return body + str(check)
    raise AssertionError("unreachable: some registration month always gives a check digit")


def _obliged(seed: int, index: int, site) -> Enterprise:
    return Enterprise(
        bin=_bin(seed, index + 1), name=site.name, holding=site.holding, region_kato=site.region_kato,
        sector=site.sector, hazard_category=1, obliged=True, size=site.size, nominal_tonnes=0.0,
    )


def _non_obliged(seed: int, index: int, names: set[str]) -> Enterprise:
    """An enterprise below the AMS threshold, placed by regional industrial weight
    (square root of 2022 emissions), named after a town of its region."""
    rng = stream(seed, "enterprise", index)
    katos = list(EMISSIONS_2022_KT)
    kato = rng.choices(katos, weights=[EMISSIONS_2022_KT[k] ** 0.5 for k in katos])[0]
    sectors = list(NON_OBLIGED_SECTORS)
    sector = rng.choices(sectors, weights=[NON_OBLIGED_SECTORS[s][0] for s in sectors])[0]
    town = rng.choice(REGION_BY_KATO[kato].district_units).removesuffix(" City")
    name = f"{town} {NON_OBLIGED_SECTORS[sector][1]}"
    number = 2
    while name in names:
        name, number = f"{town} {NON_OBLIGED_SECTORS[sector][1]} {number}", number + 1
    names.add(name)
    categories = list(NON_OBLIGED_HAZARD_WEIGHTS)
    return Enterprise(
        bin=_bin(seed, index + 1), name=name, holding=None, region_kato=kato, sector=sector,
        hazard_category=rng.choices(categories, weights=list(NON_OBLIGED_HAZARD_WEIGHTS.values()))[0],
        obliged=False, size=0, nominal_tonnes=rng.uniform(*NON_OBLIGED_TONNES),
    )


def _with_ams_status(seed: int, obliged: list[Enterprise]) -> list[Enterprise]:
    """Deferred: the official number of utilities and energy companies, drawn at random.
    Installed, then connected: drawn among the rest, larger emitters more likely."""
    rng = stream(seed, "ams-status")
    pinned = {e.bin for e in obliged if e.name in PINNED_AMS}
    deferred = {
        e.bin
        for sector, count in AMS_DEFERRED.items()
        for e in rng.sample([e for e in obliged if e.sector == sector and e.bin not in pinned], count)
    }
    candidates = [e for e in obliged if e.bin not in deferred]
    unpinned = [e for e in candidates if e.bin not in pinned]
    installed = pinned | _weighted_sample(rng, unpinned, AMS_INSTALLED - len(pinned))
    connected = pinned | _weighted_sample(rng, [e for e in unpinned if e.bin in installed], AMS_CONNECTED - len(pinned))
    return [_dated(seed, e, e.bin in deferred, e.bin in installed, e.bin in connected) for e in obliged]


def _dated(seed: int, e: Enterprise, deferred: bool, installed: bool, connected: bool) -> Enterprise:
    """The enterprise with its AMS dates: pinned where known, else drawn; connection
    follows installation by a lag, within the calibrated window."""
    if e.name in PINNED_AMS:
        pin = PINNED_AMS[e.name]
        return replace(e, installed_at=pin.installed_at, connected_at=pin.connected_at, stacks=pin.stacks)
    dates = stream(seed, "ams-dates", e.bin)
    if deferred:
        return replace(e, deferred_to=dates.randint(*AMS_DEFERRED_YEARS))
    if not installed:
        return e
    installed_at = _random_date(dates, *AMS_INSTALLED_BETWEEN)
    if not connected:
        return replace(e, installed_at=installed_at)
    lag = timedelta(days=dates.randint(*AMS_CONNECTION_LAG_DAYS))
    first, last = AMS_CONNECTED_BETWEEN
    connected_at = min(max(installed_at + lag, first), last)  # never before installation
    # (E) 2-4 monitored stacks, more at larger emitters.
    return replace(e, installed_at=installed_at, connected_at=connected_at, stacks=2 + e.size // 4)


def _weighted_sample(rng, items: list[Enterprise], count: int) -> set[str]:
    """``count`` BINs drawn without replacement, with probability growing with size
    (Efraimidis-Spirakis keys)."""
    keyed = sorted(items, key=lambda e: rng.random() ** (1.0 / e.size), reverse=True)
    return {e.bin for e in keyed[:count]}


def _random_date(rng, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


