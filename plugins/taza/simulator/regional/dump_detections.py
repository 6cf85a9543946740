"""Regional API family: illegal dumps found by space monitoring, one record per detection.

Satellite monitoring runs March-September only. National detections per year are exact
(``calibration.DUMP_DETECTIONS``, with 2023's observed regional counts pinned), and so
are eliminations per year, once every elimination lies before ``today``: an elimination
that would fall on or after ``today`` has not happened yet, so the detection is still
'open' (a record's status changes as ``today`` moves on; everything else is fixed).
The monitoring system still codes Shymkent under its legacy KATO code. Whole years are
generated, then cut at the last complete month.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from taza.simulator.allocation import largest_remainder
from taza.simulator.calibration import (
    DUMP_ANCHORS,
    DUMP_DETECTIONS,
    DUMP_MONTH_WEIGHT,
    DUMP_WEIGHTS,
    DUMPS_ELIMINATED,
    FIRST_YEAR,
    yearly,
)
from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.region_names import LEGACY_KATO
from taza.simulator.regions import REGIONS
from taza.simulator.streams import stream

LOCAL_TZ = timezone(timedelta(hours=5))

# (E) Where a region's dumps lie: centre (lat, lon) and half-extent (lat, lon) in degrees,
# a box inside the region (the city itself for the three cities).
REGION_BOXES = {
    "100000000": ((48.7, 79.5), (1.5, 2.5)),
    "110000000": ((51.8, 70.0), (1.5, 2.5)),
    "150000000": ((48.5, 58.5), (2.0, 3.0)),
    "190000000": ((44.2, 77.5), (1.0, 2.0)),
    "230000000": ((47.2, 52.5), (1.3, 2.0)),
    "270000000": ((50.0, 51.5), (1.3, 2.0)),
    "310000000": ((44.0, 72.0), (1.3, 2.5)),
    "330000000": ((45.5, 79.0), (1.0, 2.0)),
    "350000000": ((49.0, 74.0), (1.5, 2.5)),
    "390000000": ((51.5, 64.0), (2.0, 2.5)),
    "430000000": ((45.0, 64.0), (1.5, 3.0)),
    "470000000": ((44.0, 53.5), (1.5, 2.0)),
    "550000000": ((52.0, 76.0), (1.2, 2.0)),
    "590000000": ((54.0, 69.5), (0.9, 2.0)),
    "610000000": ((42.8, 68.5), (1.5, 2.0)),
    "620000000": ((47.5, 67.5), (1.5, 2.5)),
    "630000000": ((49.5, 84.0), (1.0, 2.0)),
    "710000000": ((51.16, 71.45), (0.10, 0.15)),
    "750000000": ((43.25, 76.92), (0.08, 0.12)),
    "790000000": ((42.32, 69.60), (0.08, 0.10)),
}


def dump_detections(config: SimulatorConfig) -> list[dict]:
    """Every detection served under ``config``, in API order (detected_at, detection_id)."""
    return [dict(record) for record in _served(config)]


def dump_totals(config: SimulatorConfig) -> dict:
    """Counts of the served detections, by detection year.

    Shape::

        {"national": {year: {"detected": int, "eliminated": int}},
         "regional": {(region_kato, year): {"detected": int, "eliminated": int}}}

    Regions are keyed by their current KATO code (Shymkent's legacy code resolved).
    Every year from 2021 to the last complete month's year is present for every region.
    """
    current = {legacy: kato for kato, legacy in LEGACY_KATO.items()}
    years = range(FIRST_YEAR, int(config.last_complete_month[:4]) + 1)
    national = {year: {"detected": 0, "eliminated": 0} for year in years}
    regional = {(region.kato, year): {"detected": 0, "eliminated": 0} for region in REGIONS for year in years}
    for record in _served(config):
        year = int(record["detected_at"][:4])
        kato = current.get(record["region_kato"], record["region_kato"])
        for counts in (national[year], regional[kato, year]):
            counts["detected"] += 1
            counts["eliminated"] += record["status"] == "eliminated"
    return {"national": national, "regional": regional}


def _detection_month(record: dict) -> str:
    return record["detected_at"][:7]


@lru_cache(maxsize=8)
def _served(config: SimulatorConfig) -> tuple[dict, ...]:
    last_month = config.last_complete_month
    records = [
        _as_of(detection, elimination, config.today)
        for year in range(FIRST_YEAR, int(last_month[:4]) + 1)
        for detection, elimination in _year_detections(config.seed, year)
        if _detection_month(detection) <= last_month
    ]
    records.sort(key=lambda r: (r["detected_at"], r["detection_id"]))
    return tuple(records)


DATASET = SimulatedDataset(name="dump_detections", path="/regional/v1/dump-detections", request="monthly",
                           generate=_served, filter_field="detected_at", totals=dump_totals)


def _as_of(detection: dict, elimination: datetime | None, today: date) -> dict:
    """The detection as the system shows it on ``today``."""
    done = elimination is not None and elimination.date() < today
    return {**detection, "eliminated_at": elimination.isoformat() if done else None,
            "status": "eliminated" if done else "open"}


def _regional_counts(seed: int, year: int) -> dict[str, int]:
    pinned = {kato: count for (kato, anchor_year), count in DUMP_ANCHORS.items() if anchor_year == year}
    free = [region.kato for region in REGIONS if region.kato not in pinned]
    rng = stream(seed, "dump-regions", year)
    split = largest_remainder(yearly(DUMP_DETECTIONS, year) - sum(pinned.values()),
                              [DUMP_WEIGHTS[kato] * rng.uniform(0.85, 1.15) for kato in free])
    return pinned | dict(zip(free, split))


def _year_detections(seed: int, year: int) -> list[tuple[dict, datetime | None]]:
    """A year's detections (without status) and when each is eliminated, if ever."""
    detections = []
    for kato, count in _regional_counts(seed, year).items():
        rng = stream(seed, "dumps", year, kato)
        per_month = largest_remainder(count, [w * rng.uniform(0.8, 1.2) for w in DUMP_MONTH_WEIGHT.values()])
        for month, n in zip(DUMP_MONTH_WEIGHT, per_month):
            detections.extend(_detection(rng, kato, year, month, i) for i in range(n))
    rng = stream(seed, "dump-eliminations", year)
    eliminated = set(rng.sample(range(len(detections)), yearly(DUMPS_ELIMINATED, year)))
    return [(record, _elimination(rng, detected) if i in eliminated else None)
            for i, (record, detected) in enumerate(detections)]


def _detection(rng: random.Random, kato: str, year: int, month: int, index: int) -> tuple[dict, datetime]:
    """One dump on a satellite image of the month (a point in the region's box, its size),
    and the moment of the image."""
    (lat, lon), (half_lat, half_lon) = REGION_BOXES[kato]
    next_month = date(year + month // 12, month % 12 + 1, 1)
    day = date(year, month, 1) + timedelta(days=rng.randrange((next_month - date(year, month, 1)).days))
    minute = rng.randint(10 * 60, 13 * 60 - 1)  # the local overpass
    detected = datetime.combine(day, time(minute // 60, minute % 60), LOCAL_TZ)
    return {
        "detection_id": f"DD-{kato[:2]}-{year}{month:02d}-{index + 1:04d}",
        "region_kato": LEGACY_KATO.get(kato, kato),
        "lat": round(lat + rng.uniform(-half_lat, half_lat), 5),
        "lon": round(lon + rng.uniform(-half_lon, half_lon), 5),
        "area_m2": round(min(max(rng.lognormvariate(5.0, 1.0), 5.0), 50_000.0), 1),
        "detected_at": detected.isoformat(),
    }, detected


def _elimination(rng: random.Random, detected: datetime) -> datetime:
    """Cleared 1-180 days after detection (median about a month), in working hours."""
    days = min(180, max(1, round(rng.lognormvariate(3.4, 0.7))))
    minute = rng.randint(9 * 60, 18 * 60 - 1)
    return datetime.combine(detected.date() + timedelta(days=days), time(minute // 60, minute % 60), LOCAL_TZ)
