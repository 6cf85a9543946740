"""The simulated nursery family (registry, seedling stock, survival inventories):
calibration, determinism, region naming, loader typing (the HTTP contract is in
test_simulator_contract)."""
from __future__ import annotations

import csv
from datetime import date

import pytest

from taza import config as project
from taza.simulator import SimulatorConfig
from taza.simulator.calibration import SURVIVAL_PROFILES, ZONE_SPECIES
from taza.simulator.nursery.nurseries import nurseries, registered_nurseries, registry_totals
from taza.simulator.nursery.seedling_stock import seedling_stock, stock_totals
from taza.simulator.nursery.survival_inventories import survival_inventories, survival_totals
from taza.simulator.regional.planting_reports import planting_totals
from taza.sources.nursery import NURSERIES, SEEDLING_STOCK, SURVIVAL_INVENTORIES

from simulator_checks import KEY, records_digest

pytestmark = pytest.mark.unit

FULL_2026 = date(2027, 1, 15)  # seasons and inspections up to 2026 are complete
MID_2026 = date(2026, 11, 24)  # complete years up to 2025


def config(**overrides) -> SimulatorConfig:
    return SimulatorConfig(**{"api_key": KEY, "today": FULL_2026, **overrides})


# --- registry ---------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "scale", "count", "area"), [
    (42, 1.0, 251, 3_178.0), (7, 1.0, 251, 3_178.0), (42, 2.0, 502, 6_356.0), (42, 0.1, 25, 317.8),
])
def test_registry_count_and_area(seed, scale, count, area):
    registry = registry_totals(config(seed=seed, scale=scale))["national"]
    assert registry["nurseries"] == count
    assert registry["area_ha"] == area


def test_capacity_and_closed_root_complexes():
    records = nurseries(config())
    complexes = [r for r in records if r["has_closed_root_complex"]]
    assert len(complexes) == 6
    for r in records:
        assert isinstance(r["capacity_seedlings_per_year"], int)
        extra = r["capacity_seedlings_per_year"] - r["area_ha"] * 90_000
        if r["has_closed_root_complex"]:
            assert 5_000_000 <= extra and r["capacity_seedlings_per_year"] - r["area_ha"] * 60_000 <= 7_000_000
        else:
            assert 59_000 <= r["capacity_seedlings_per_year"] / r["area_ha"] <= 91_000
    before = nurseries(config(today=date(2025, 6, 1)))
    assert not any(r["has_closed_root_complex"] for r in before)


def test_registry_names_regions_only_by_spelling():
    with open(project.DBT_PROJECT_DIR / "seeds" / "region_code_aliases.csv", newline="") as seed:
        alias = {row["alias_code"]: row["region_kato"] for row in csv.DictReader(seed)}
    kato_of = {n.nursery_id: n.region.kato for n in registered_nurseries(config())}
    records = nurseries(config())
    canonical = {n.region.name for n in registered_nurseries(config())}
    for r in records:
        assert alias[r["region"].lower()] == kato_of[r["nursery_id"]]
        assert not any(ch.isdigit() for ch in r["region"])
    spellings = {r["region"] for r in records}
    assert len(spellings & {"Zhambyl", "Jambyl", "Aqmola", "Zhetisu", "Chimkent"}) >= 3
    assert 0.3 < sum(r["region"] not in canonical for r in records) / len(records) < 0.9


def test_registry_is_a_snapshot_of_today():
    now = nurseries(config())
    earlier = nurseries(config(today=date(2022, 3, 1)))
    assert len(earlier) < len(now)
    assert all(r["established_year"] <= 2022 for r in earlier)
    assert {r["nursery_id"] for r in earlier} < {r["nursery_id"] for r in now}


# --- seedling stock ---------------------------------------------------------------


@pytest.mark.parametrize(("seed", "scale"), [(42, 1.0), (7, 0.05), (2024, 2.0)])
def test_national_stock_2025_is_exact(seed, scale):
    stock = stock_totals(config(seed=seed, scale=scale))["national"]
    assert stock[2025]["seedlings_total"] == 281_000_000
    assert all(0 < stock[y]["seedlings_ready"] < stock[y]["seedlings_total"] for y in stock)


def test_stock_records():
    cfg = config(today=MID_2026)
    records = seedling_stock(cfg)
    assert {r["season_year"] for r in records} == set(range(2021, 2026))
    assert sum(r["seedlings_total"] for r in records if r["season_year"] == 2025) == 281_000_000
    registry = {n.nursery_id: n for n in registered_nurseries(cfg)}
    for r in records:
        nursery = registry[r["nursery_id"]]
        assert r["species"] in ZONE_SPECIES[SURVIVAL_PROFILES[nursery.region.kato].zone]
        assert 1 <= r["age_years"] <= min(3, r["season_year"] - nursery.established_year + 1)
        assert 0 <= r["seedlings_ready"] <= r["seedlings_total"] and r["seedlings_total"] > 0
    species = {r["species"] for r in records}
    assert {"saxaul", "pine", "birch", "elm"} <= species
    assert len({r["stock_id"] for r in records}) == len(records)


# --- survival inventories ---------------------------------------------------------

FOREST_STEPPE = [k for k, p in SURVIVAL_PROFILES.items() if p.zone == "forest_steppe"]
DRY_STEPPE = [k for k, p in SURVIVAL_PROFILES.items() if p.zone == "dry_steppe"]
DESERT = [k for k, p in SURVIVAL_PROFILES.items() if p.zone == "desert"]


def survival(totals: dict, katos: list[str], inspection: str) -> float:
    figures = [f for (kato, _, kind), f in totals["regional"].items() if kato in katos and kind == inspection]
    return sum(f["surviving"] for f in figures) / sum(f["planted"] for f in figures)


@pytest.mark.parametrize("seed", [42, 7])
def test_survival_by_zone(seed):
    totals = survival_totals(config(seed=seed, scale=2.0))
    assert 0.64 <= survival(totals, FOREST_STEPPE, "year_1") <= 0.76
    assert 0.54 <= survival(totals, DRY_STEPPE, "year_1") <= 0.63
    assert 0.25 <= survival(totals, DESERT, "year_1") <= 0.40
    for zone in (FOREST_STEPPE, DRY_STEPPE, DESERT):
        drop = survival(totals, zone, "year_1") - survival(totals, zone, "year_3")
        assert 0.05 <= drop <= 0.15
    for kato in ("110000000", "330000000"):  # Akmola, Jetisu: three-year survival at most 60 %
        assert survival(totals, [kato], "year_3") <= 0.60


def test_survival_records():
    cfg = config(today=MID_2026)
    records = survival_inventories(cfg)
    assert max(r["inspection_year"] for r in records) == 2025
    assert {(r["inspection_type"], r["inspection_year"] - r["planting_year"]) for r in records} == {
        ("year_1", 1), ("year_3", 3)}
    by_site: dict[str, dict] = {}
    for r in records:
        assert 0 <= r["surviving"] <= r["planted"] and r["area_ha"] > 0
        by_site.setdefault(r["site_id"], {})[r["inspection_type"]] = r
    for site in by_site.values():
        if len(site) == 2:
            assert site["year_3"]["planted"] == site["year_1"]["planted"]
            assert site["year_3"]["surviving"] < site["year_1"]["surviving"]
            if site["year_1"]["region_kato"] in ("110000000", "330000000"):
                assert site["year_3"]["surviving"] <= 0.6 * site["year_3"]["planted"]
    forest = planting_totals(cfg)["regional"]
    for (kato, year, kind), figures in survival_totals(cfg)["regional"].items():
        planted = forest[kato, year, "state_forest_fund"]["trees_planted"]
        assert 0.05 * planted - 1 <= figures["planted"] <= 0.15 * planted + 1


def test_scale_multiplies_sites():
    def sites(scale: float) -> int:
        return len({r["site_id"] for r in survival_inventories(config(scale=scale))})

    assert sites(2.0) == 2 * sites(1.0)
    assert sites(0.01) == 20 * 5  # one site per region and planting year 2021-2025


# --- shared: determinism, loader typing, catalogue, suites ------------------------

DATASETS = [(NURSERIES, nurseries), (SEEDLING_STOCK, seedling_stock), (SURVIVAL_INVENTORIES, survival_inventories)]


def test_request_styles():
    assert (NURSERIES.request, SEEDLING_STOCK.request, SURVIVAL_INVENTORIES.request) == ("snapshot", "annual", "annual")


def test_another_seed_moves_figures_but_not_national_totals():
    a, b = config(seed=1), config(seed=2)
    for _, generate in DATASETS:
        assert records_digest(generate(a)) != records_digest(generate(b))
    stock_a, stock_b = stock_totals(a)["national"], stock_totals(b)["national"]
    assert {y: f["seedlings_total"] for y, f in stock_a.items()} == {
        y: f["seedlings_total"] for y, f in stock_b.items()}
    registry_a, registry_b = registry_totals(a)["national"], registry_totals(b)["national"]
    assert (registry_a["nurseries"], registry_a["area_ha"]) == (registry_b["nurseries"], registry_b["area_ha"])
