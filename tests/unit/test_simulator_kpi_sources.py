"""The simulated sources the scorecard needs beyond the reports: the regional planting plans
and the AMS stack registry. Calibration, consistency with the other datasets, the clock,
determinism, loader schema (the HTTP contract is in test_simulator_contract)."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from taza.simulator import SimulatorConfig
from taza.simulator.industry.ams_stacks import ams_stack_records
from taza.simulator.industry.calibration import AMS_POLLUTANTS
from taza.simulator.industry.enterprises import enterprise_list, enterprise_records
from taza.simulator.industry.telemetry import _feed
from taza.simulator.regional.planting_plans import plan_totals, planting_plans
from taza.simulator.regions import REGIONS

from simulator_checks import KEY, api_get

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 24)


def config(**overrides) -> SimulatorConfig:
    return SimulatorConfig(**{"api_key": KEY, "today": TODAY, "seed": 7, "scale": 0.05, **overrides})


# --- planting plans -------------------------------------------------------------------


@pytest.mark.parametrize("seed", [7, 42, 2024])
def test_national_plans_equal_the_official_figures_for_any_seed(seed):
    totals = plan_totals(config(seed=seed))
    assert totals[2025, 1] == {"trees_planned": 336_500_000, "area_planned_ha": 494_000}
    assert totals[2025, 2]["trees_planned"] == 370_000_000
    assert totals[2026, 1]["trees_planned"] > 208_000_000
    assert all(t["area_planned_ha"] > 0 for t in totals.values())
    assert totals[2022, 1] == {"trees_planned": 278_800_000, "area_planned_ha": 111_499}
    assert totals[2021, 1] == {"trees_planned": 138_000_000, "area_planned_ha": 66_000}


def test_every_region_has_one_plan_per_year_and_revision_with_the_reported_regional_plans():
    records = planting_plans(config())
    per_revision = Counter((r["plan_year"], r["revision"]) for r in records)
    assert set(per_revision.values()) == {len(REGIONS)}
    west = {(r["plan_year"], r["revision"]): (r["trees_planned"], r["area_planned_ha"])
            for r in records if r["region_kato"] == "270000000"}
    assert west[2025, 1] == west[2025, 2] == (8_260_000, 2_220)
    assert west[2026, 1] == (8_800_000, 2_370)
    assert all(r["trees_planned"] > 0 and r["area_planned_ha"] > 0 for r in records)


def test_the_register_holds_only_what_was_published_before_today():
    def revisions(today):
        return sorted({(r["plan_year"], r["revision"]) for r in planting_plans(config(today=today))})

    assert revisions(date(2025, 3, 1))[-1] == (2025, 1)
    assert revisions(date(2025, 7, 1))[-1] == (2025, 2)
    assert (2026, 1) in revisions(TODAY) and (2027, 1) not in revisions(TODAY)
    assert (2027, 1) in revisions(date(2027, 1, 15))


def test_a_seed_moves_plans_between_regions_only():
    first, second = planting_plans(config(seed=1)), planting_plans(config(seed=2))
    assert [r["trees_planned"] for r in first] != [r["trees_planned"] for r in second]
    assert plan_totals(config(seed=1)) == plan_totals(config(seed=2))


# --- AMS stack registry ---------------------------------------------------------------


@pytest.mark.parametrize("scale", [0.05, 1.0])
def test_registry_lists_every_obliged_enterprise_and_the_telemetry_series_exactly(scale):
    cfg = config(scale=scale, today=date(2027, 1, 15))
    records = ams_stack_records(cfg)
    obliged = {e.bin for e in enterprise_list(cfg.seed, cfg.scale) if e.obliged}
    assert {r["bin"] for r in records} == obliged
    assert Counter(r["stack_id"] for r in records) == {s: len(AMS_POLLUTANTS) for s in {r["stack_id"] for r in records}}
    connected = {(r["stack_id"], r["pollutant"]) for r in records if r["connected_on"]}
    assert connected == {(s.stack_id, s.pollutant) for s in _feed(cfg.seed, cfg.scale).series}
    silent = {r["bin"] for r in records if not r["connected_on"]}
    assert len(silent) == 91 - 34, "every obliged enterprise not connected is registered, sending nothing"


def test_registry_agrees_with_the_enterprise_registry_on_dates_and_deferrals():
    cfg = config()
    registry = {r["bin"]: r for r in enterprise_records(cfg)}
    for stack in ams_stack_records(cfg):
        enterprise = registry[stack["bin"]]
        assert stack["region_kato"] == enterprise["region_kato"]
        assert stack["installed_on"] == enterprise["ams_installed_at"]
        assert stack["connected_on"] == enterprise["ams_connected_at"]
        assert stack["ams_deferred_to"] == enterprise["ams_deferred_to"]
        deferred_to = stack["ams_deferred_to"]
        assert stack["required_from"] == (f"{deferred_to}-01-01" if deferred_to else "2023-01-01")
        assert stack["registered_on"] < "2023-01-01"


# --- both (loader schema and determinism: test_simulator_contract) ------------------------

def test_a_running_simulators_clock_can_be_moved():
    from taza.simulator.server import start_in_thread

    with start_in_thread(config(today=date(2024, 7, 1))) as running:
        def june_statuses() -> Counter:
            body = api_get(running, "/regional/v1/dump-detections",
                           {"period_from": "2024-06", "period_to": "2024-06", "page_size": 5000}).json()
            return Counter(d["status"] for d in body["data"])

        in_july = june_statuses()
        running.set_today(date(2025, 1, 1))
        assert running.today == date(2025, 1, 1)
        later = june_statuses()
    assert sum(later.values()) == sum(in_july.values())
    assert later["eliminated"] > in_july["eliminated"], "June's dumps cleared after July are eliminated by then"
