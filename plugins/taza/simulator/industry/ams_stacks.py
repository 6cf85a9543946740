"""Industry API family: the AMS stack registry, one record per stack and pollutant that
must be monitored, served as a snapshot at the end of the last complete month.

Every AMS-obliged enterprise registers its stacks, connected or not: the stacks of a
connected enterprise are exactly the telemetry feed's series (same stack ids, the four
pollutants), the others are silent, registered but sending nothing, which is what
telemetry completeness must count. A stack must report from the obligation's start
(1 January 2023), or from 1 January of the year its enterprise's AMS was legally
deferred to. Installation and connection dates appear once they lie before the snapshot.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.industry.calibration import AMS_MANDATORY_FROM, AMS_POLLUTANTS
from taza.simulator.industry.enterprises import Enterprise, enterprise_list, snapshot_date
from taza.simulator.streams import stream

# (E) Stacks were entered in the registry after the AMS rules took effect (1 July 2021),
# before the obligation began.
REGISTERED_BETWEEN = (date(2021, 7, 1), date(2022, 12, 31))


def ams_stack_records(config: SimulatorConfig) -> list[dict]:
    """The registry as served (ordered by stack_id, pollutant), as of the snapshot date."""
    return [dict(record) for record in _served(config)]


def registered_stacks(e: Enterprise, scale: float) -> int:
    """Stacks an obliged enterprise registers at ``scale``: the monitored ones once connected
    (as the telemetry feed has them), else as many as it will monitor (2-4 at scale 1, more
    at larger emitters)."""
    return e.stack_count(scale) if e.connected_at else max(1, round((2 + e.size // 4) * scale))


@lru_cache(maxsize=8)
def _served(config: SimulatorConfig) -> tuple[dict, ...]:
    as_of = snapshot_date(config)
    records = [record for e in enterprise_list(config.seed, config.scale) if e.obliged
               for record in _stack_records(config.seed, config.scale, e, as_of)]
    records.sort(key=lambda r: (r["stack_id"], r["pollutant"]))
    return tuple(records)


DATASET = SimulatedDataset(name="ams_stacks", path="/industry/v1/ams-stacks", request="snapshot", generate=_served)


def _stack_records(seed: int, scale: float, e: Enterprise, as_of: date) -> list[dict]:
    required_from = date(e.deferred_to, 1, 1) if e.deferred_to else AMS_MANDATORY_FROM
    installed = e.installed_at if e.installed_at and e.installed_at <= as_of else None
    connected = e.connected_at if e.connected_at and e.connected_at <= as_of else None
    records = []
    for number in range(1, registered_stacks(e, scale) + 1):
        stack_id = f"{e.bin}-S{number:02d}"
        rng = stream(seed, "ams-registry", stack_id)
        first, last = REGISTERED_BETWEEN
        registered_on = first + timedelta(days=rng.randint(0, (last - first).days))
        records.extend({
            "registry_id": f"{stack_id}:{pollutant}",
            "stack_id": stack_id,
            "bin": e.bin,
            "region_kato": e.region_kato,
            "pollutant": pollutant,
            "registered_on": registered_on.isoformat(),
            "required_from": required_from.isoformat(),
            "ams_deferred_to": e.deferred_to,
            "installed_on": installed.isoformat() if installed else None,
            "connected_on": connected.isoformat() if connected else None,
        } for pollutant in AMS_POLLUTANTS)
    return records
