"""The simulated industry API (registry, commitments, plantings, annual emissions):
calibration, determinism, loader schema (the HTTP contract is in test_simulator_contract)."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from taza.quality.suites import load_suite_document
from taza.simulator import SimulatorConfig
from taza.simulator.industry.calibration import AMS_POLLUTANTS, HOLDING_PLANS, POLLUTANTS, SECTORS
from taza.simulator.industry.emissions_annual import emission_records, emission_totals
from taza.simulator.industry.enterprises import ams_totals, enterprise_list, enterprise_records
from taza.simulator.industry.greening import commitment_records, commitment_revisions, greening_totals, planting_records
from taza.sources import industry
from taza.sources.schema import PROVENANCE_COLUMNS

from simulator_checks import KEY, api_get

pytestmark = pytest.mark.unit

FULL_2026 = date(2027, 1, 15)  # every month of 2026 is complete
MID_2026 = date(2026, 11, 24)  # served up to 2026-10

# The brief's emissions_stationary_2022_kt.csv, thousand tonnes.
EMISSIONS_2022_KT = {
    "100000000": 39.0, "110000000": 69.5, "150000000": 136.5, "190000000": 28.8, "230000000": 132.1,
    "270000000": 25.8, "310000000": 52.9, "330000000": 13.08, "350000000": 469.0, "390000000": 121.4,
    "430000000": 23.4, "470000000": 78.7, "550000000": 724.2, "590000000": 52.7, "610000000": 25.2,
    "620000000": 105.0, "630000000": 83.3, "710000000": 57.7, "750000000": 41.5, "790000000": 35.0,
}


def config(**overrides) -> SimulatorConfig:
    return SimulatorConfig(**{"api_key": KEY, "today": FULL_2026, **overrides})


def by_name(cfg: SimulatorConfig) -> dict:
    return {e.name: e for e in enterprise_list(cfg.seed, cfg.scale)}


# --- registry and AMS -----------------------------------------------------------------


@pytest.mark.parametrize(("seed", "scale"), [(42, 1.0), (7, 0.01), (2024, 2.0)])
def test_ams_status_matches_the_official_counts_at_any_scale(seed, scale):
    cfg = config(seed=seed, scale=scale)
    assert {k: v for k, v in ams_totals(cfg).items() if k != "enterprises"} == {
        "obliged": 91, "installed": 62, "connected": 34, "deferred": 17}
    records = enterprise_records(cfg)
    deferred = [r for r in records if r["ams_deferred_to"] is not None]
    assert Counter(r["sector"] for r in deferred) == {"utilities": 12, "energy": 5}
    assert {r["ams_deferred_to"] for r in deferred} <= {2026, 2027, 2028, 2029}
    for r in records:
        assert r["ams_obliged_since"] == ("2023-01-01" if r["ams_obliged"] else None)
        assert r["ams_installed"] == (r["ams_installed_at"] is not None)
        assert r["ams_connected"] == (r["ams_connected_at"] is not None)
        if r["ams_connected"]:
            assert r["ams_installed"] and r["ams_installed_at"] <= r["ams_connected_at"]
        if not r["ams_obliged"]:
            assert not r["ams_installed"] and r["ams_deferred_to"] is None and r["hazard_category"] > 1
        if r["ams_deferred_to"] is not None:
            assert not r["ams_installed"]


def test_scale_adds_enterprises_outside_the_obligation():
    def registry(scale: float) -> dict:
        return {r["bin"]: r for r in enterprise_records(config(scale=scale))}

    small, one, double = registry(0.01), registry(1.0), registry(2.0)
    assert ams_totals(config())["enterprises"] == len(one) == 91 + 250
    assert len(double) == 91 + 500 and len(small) == 91 + 2
    assert {b for b, r in one.items() if r["ams_obliged"]} == {b for b, r in double.items() if r["ams_obliged"]}
    assert set(small) < set(one) < set(double)  # an enterprise keeps its BIN whatever the scale


def test_bins_are_unique_12_digit_with_a_valid_check_digit():
    records = enterprise_records(config(scale=2.0))
    assert len({r["bin"] for r in records}) == len(records)
    for r in records:
        digits = [int(c) for c in r["bin"]]
        assert len(digits) == 12
        check = sum(d * w for d, w in zip(digits, range(1, 12))) % 11
        if check == 10:
            check = sum(d * w for d, w in zip(digits, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))) % 11
        assert check == digits[11]


def test_real_holdings_are_in_the_registry():
    records = enterprise_records(config())
    regions = {holding: {r["region_kato"] for r in records if r["holding"] == holding}
               for holding in ("ERG", "Qarmet", "Solidcore Resources", "Kazzinc", "Kazakhmys")}
    assert {"550000000", "390000000", "620000000"} <= regions["ERG"]  # Pavlodar, Kostanay, Ulytau
    assert regions["Qarmet"] == {"350000000"}  # Karaganda (Temirtau)
    assert "390000000" in regions["Solidcore Resources"]  # Kostanay
    assert "630000000" in regions["Kazzinc"]  # East Kazakhstan
    assert regions["Kazakhmys"] == {"350000000", "620000000"}  # Karaganda, Ulytau
    assert {r["region_kato"] for r in records if r["ams_obliged"]} == set(EMISSIONS_2022_KT)


def test_the_snapshot_only_knows_what_happened_by_its_date():
    early = enterprise_records(config(today=date(2024, 1, 10)))  # snapshot of 2023-12-31
    assert 0 < sum(r["ams_connected"] for r in early) < 34
    assert all(r["ams_installed_at"] is None or r["ams_installed_at"] <= "2023-12-31" for r in early)
    assert all(r["ams_connected_at"] is None or r["ams_connected_at"] <= "2023-12-31" for r in early)
    assert sum(r["ams_obliged"] for r in early) == 91


# --- annual emissions ---------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "scale"), [(42, 1.0), (7, 0.01), (3, 2.5)])
def test_2022_emissions_per_region_are_the_official_figures(seed, scale):
    totals = emission_totals(config(seed=seed, scale=scale))
    for kato, kt in EMISSIONS_2022_KT.items():
        assert round(totals["regional"][kato, 2022] * 10) == round(kt * 10_000), kato
    assert round(totals["national"][2022] * 10) == 23_147_800  # 2,314.78 kt (published 2,314.8)
    assert round(totals["national"][2021] * 10) == 24_075_000  # 2,407.5 kt


def test_later_emissions_decline_two_to_three_percent_a_year():
    national = emission_totals(config())["national"]
    assert sorted(national) == [2021, 2022, 2023, 2024, 2025, 2026]
    for year in (2023, 2024, 2025, 2026):
        assert 0.97 <= national[year] / national[year - 1] <= 0.98


def test_every_region_has_reporters_every_year_and_totals_are_record_sums():
    cfg = config(scale=0.01)
    records = emission_records(cfg)
    assert {(r["region_kato"], r["year"]) for r in records} == {
        (kato, year) for kato in EMISSIONS_2022_KT for year in range(2021, 2027)}
    national = Counter()
    for r in records:
        national[r["year"]] += round(r["emissions_t"] * 10)
        assert r["emissions_t"] >= 0 and round(r["emissions_t"], 1) == r["emissions_t"]
    assert {year: tenths / 10 for year, tenths in national.items()} == emission_totals(cfg)["national"]
    assert {r["pollutant"] for r in records} == {"so2", "nox", "co", "pm", "other"}


def test_enterprises_below_the_ams_threshold_emit_less_than_500_t():
    cfg = config()
    obliged = {e.bin for e in enterprise_list(cfg.seed, cfg.scale) if e.obliged}
    per_enterprise = Counter()
    for r in emission_records(cfg):
        per_enterprise[r["bin"], r["year"]] += r["emissions_t"]
    assert all(t < 500 for (b, _), t in per_enterprise.items() if b not in obliged)
    assert sum(1 for (b, _), t in per_enterprise.items() if b in obliged and t >= 500) > 0.9 * 91 * 6


def test_annual_emissions_are_served_for_complete_years_only():
    years = {r["year"] for r in emission_records(config(today=MID_2026))}
    assert years == {2021, 2022, 2023, 2024, 2025}


# --- commitments and plantings ------------------------------------------------------------


def test_holding_figures_are_exact():
    totals = greening_totals(config())["holding"]
    assert totals["ERG", 2025]["trees_committed"] == 1_800_000
    assert totals["ERG", 2025]["trees_planted"] == 3_000_000
    assert sum(totals["Qarmet", year]["trees_planted"] for year in range(2022, 2026)) > 1_000_000
    assert ("Qarmet", 2021) not in totals
    solidcore = [totals["Solidcore Resources", year] for year in (2024, 2025, 2026)]
    assert solidcore[0]["area_committed_ha"] == 500.0 and solidcore[0]["area_ha"] == 500.0
    assert sum(s["area_ha"] for s in solidcore) == 1_500.0
    assert ("Solidcore Resources", 2023) not in totals


def test_solidcore_plants_in_kostanay_only_and_fulfilment_varies():
    cfg = config()
    holding_of = {e.bin: e.holding for e in enterprise_list(cfg.seed, cfg.scale)}
    assert {r["region_kato"] for r in planting_records(cfg) if holding_of[r["bin"]] == "Solidcore Resources"} == {
        "390000000"}
    committed = Counter()
    planted = Counter()
    for r in commitment_records(cfg):
        committed[r["bin"], r["year"]] += r["trees_committed"]
    for r in planting_records(cfg):
        planted[r["bin"], int(r["period"][:4])] += r["trees_planted"]
    ratios = [planted[key] / trees for key, trees in committed.items()]
    assert min(ratios) < 0.8 and max(ratios) > 1.2
    assert set(planted) <= set(committed)  # companies plant what they committed to, more or less


def test_plantings_follow_the_seasons_and_stop_at_the_last_complete_month():
    full = planting_records(config())
    assert {int(r["period"][5:]) for r in full} <= {3, 4, 5, 9, 10, 11}
    mid = planting_records(config(today=MID_2026))
    assert mid == [r for r in full if r["period"] <= "2026-10"]  # records never change later
    assert max(r["period"] for r in mid) == "2026-10"
    assert {r["year"] for r in commitment_records(config(today=MID_2026))} == set(range(2021, 2027))
    for r in full:
        assert r["trees_planted"] > 0 and r["area_ha"] > 0


def test_some_commitments_are_revised_in_spring_after_their_year_and_served_revised_from_then():
    cfg = config()
    holding_of = {e.bin: e.holding for e in enterprise_list(cfg.seed, cfg.scale)}
    revisions = commitment_revisions(cfg)
    others = [r for r in commitment_records(cfg) if holding_of[r["bin"]] not in HOLDING_PLANS]
    assert 0.05 < len(revisions) / len(others) < 0.15
    assert all(holding_of[r["bin"]] not in HOLDING_PLANS for r in revisions), "published plans stay exact"
    for r in revisions:
        revised_on = date.fromisoformat(r["revised_on"])
        assert revised_on.year == r["year"] + 1 and 3 <= revised_on.month <= 5
        first = r["first_trees_committed"]
        assert first != r["trees_committed"] and first > 0 and first % 100 == 0
        area = r["first_area_committed_ha"]
        assert area > 0 and round(area, 2) == area
        [before, after] = [c for today in (revised_on, revised_on + timedelta(days=1))
                           for c in commitment_records(config(today=today))
                           if c["commitment_id"] == r["commitment_id"]]
        assert (before["trees_committed"], before["area_committed_ha"]) == (first, area)
        assert (after["trees_committed"], after["area_committed_ha"]) == (r["trees_committed"], r["area_committed_ha"])


def test_commitment_totals_are_the_sums_of_what_is_served_on_the_day():
    cfg = config(today=date(2025, 1, 1))  # 2024's revisions still due
    served = Counter()
    for r in commitment_records(cfg):
        served[r["year"]] += r["trees_committed"]
    totals = greening_totals(cfg)["holding"]
    for year in served:
        assert sum(v["trees_committed"] for (_, y), v in totals.items() if y == year) == served[year]
    final_2024 = sum(r["trees_committed"] for r in commitment_records(config()) if r["year"] == 2024)
    assert served[2024] != final_2024, "the first figures of 2024's revised commitments"


def test_another_seed_moves_figures_but_not_the_calibrated_ones():
    a, b = config(seed=1), config(seed=2)
    assert planting_records(a) != planting_records(b)
    assert emission_records(a) != emission_records(b)
    for cfg in (a, b):
        holding = greening_totals(cfg)["holding"]
        assert holding["ERG", 2025]["trees_planted"] == 3_000_000
        assert ams_totals(cfg)["connected"] == 34


# --- expectation suites (loader schema and determinism: test_simulator_contract) --------------

def test_expectation_suites_match_the_datasets_and_the_simulator():
    value_sets = {}
    for dataset in industry.DATASETS:
        suite = load_suite_document(dataset.name)  # also checks every severity
        expectations = suite["expectations"]
        [columns] = [e for e in expectations if e["type"] == "expect_table_columns_to_match_set"]
        assert columns["kwargs"]["column_set"] == [*dataset.column_names, *PROVENANCE_COLUMNS]
        for e in expectations:
            if e["type"] == "expect_column_values_to_be_in_set" and "mostly" not in e["kwargs"]:
                value_sets[dataset.entity, e["kwargs"]["column"]] = set(e["kwargs"]["value_set"])
        not_null = {e["kwargs"]["column"] for e in expectations if e["type"] == "expect_column_values_to_not_be_null"}
        assert {f.name for f in dataset.fields if f.required} <= not_null
        assert {e["kwargs"]["column"] for e in expectations if e["type"] == "expect_column_values_to_be_unique"} == set(
            dataset.natural_key)
    assert value_sets["enterprises", "sector"] == set(SECTORS)
    assert value_sets["emissions_annual", "pollutant"] == set(POLLUTANTS)
    assert value_sets["telemetry", "pollutant"] == set(AMS_POLLUTANTS)
    # region codes come from the KATO reference seeds: every code the simulator sends is in it
    assert set(EMISSIONS_2022_KT) | {"511010000"} <= value_sets["plantings", "region_kato"]
    assert {r["sector"] for r in enterprise_records(config(scale=2.0))} <= set(SECTORS)


# --- HTTP (the contract is in test_simulator_contract) ----------------------------------

HTTP_CONFIG = SimulatorConfig(seed=3, scale=0.2, api_key=KEY, today=MID_2026)


def test_the_registry_is_served_as_of_the_end_of_the_last_complete_month(simulator):
    body = api_get(simulator, "/industry/v1/enterprises", {"page_size": "5000"}).json()
    assert body["as_of"] == "2026-10-31"
    assert body["data"] == enterprise_records(HTTP_CONFIG)
