"""The simulated regional campaign reports, annual indicators and dump detections:
calibration, determinism, region coding, loader typing (the HTTP contract is in
test_simulator_contract)."""
from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from taza import config as project
from taza.simulator import SimulatorConfig
from taza.simulator.region_names import LEGACY_KATO, NAME_VARIANTS
from taza.simulator.regional.annual_indicators import annual_indicators, indicator_totals
from taza.simulator.regional.campaign_reports import campaign_reports, campaign_totals
from taza.simulator.regional.dump_detections import REGION_BOXES, dump_detections, dump_totals
from taza.simulator.regional.planting_reports import final_planting_reports, planting_totals
from taza.simulator.regions import REGIONS
from taza.sources.regional import ANNUAL_INDICATORS, CAMPAIGN_REPORTS, DUMP_DETECTIONS

from simulator_checks import KEY, records_digest

pytestmark = pytest.mark.unit

FULL_2026 = date(2027, 1, 15)  # every month of 2026 is complete
MID_2026 = date(2026, 11, 24)  # months up to 2026-10, years up to 2025
KZ_LAT, KZ_LON = (40.5, 55.5), (46.5, 87.5)


def config(**overrides) -> SimulatorConfig:
    return SimulatorConfig(**{"api_key": KEY, "today": FULL_2026, **overrides})


def aliases() -> dict[str, str]:
    with open(project.DBT_PROJECT_DIR / "seeds" / "region_code_aliases.csv", newline="") as seed:
        return {row["alias_code"]: row["region_kato"] for row in csv.DictReader(seed)}


# --- campaign reports -------------------------------------------------------------


@pytest.mark.parametrize(("seed", "scale"), [(42, 1.0), (7, 0.05), (2024, 2.0)])
def test_campaign_2024_is_the_official_year(seed, scale):
    national = campaign_totals(config(seed=seed, scale=scale))["national"]
    assert national[2024]["events"] == 183
    assert national[2024]["participants"] == 6_200_000
    assert national[2024]["volunteers"] == 229_000
    assert national[2024]["waste_collected_t"] == 1_100_000
    assert national[2024]["trees_planted"] == 1_600_000
    assert all(national[year][metric] == 0 for year in (2021, 2022) for metric in national[year])
    assert 0 < national[2023]["participants"] < national[2024]["participants"]


@pytest.mark.parametrize("seed", [42, 7])
def test_campaign_2024_plus_first_half_2025(seed):
    records = [r for r in campaign_reports(config(seed=seed)) if "2024-01" <= r["period"] <= "2025-06"]

    def total(metric: str) -> float:
        return sum(r[metric] for r in records)

    assert total("events") == 874
    assert total("participants") == 9_000_000
    assert total("volunteers") == 448_000
    assert round(total("waste_collected_t"), 1) == 1_414_000
    assert total("trees_planted") > 2_400_000


def test_campaign_trees_are_the_planting_reports_final_campaign_trees():
    cfg = config(scale=0.5)
    planted = {(r["region_kato"], r["district"], r["period"]): r["trees_planted"]
               for r in final_planting_reports(cfg) if r["programme"] == "taza_campaign"}
    reported = {(r["region_kato"], r["district"], r["period"]): r["trees_planted"]
                for r in campaign_reports(cfg) if r["trees_planted"]}
    assert reported == planted
    corrected_by = date(2027, 3, 15)  # every correction of 2026 is in
    campaign = campaign_totals(cfg)["regional"]
    for (kato, year, programme), figures in planting_totals(replace(cfg, today=corrected_by))["regional"].items():
        if programme == "taza_campaign" and year <= 2026:
            assert campaign[kato, year]["trees_planted"] == figures["trees_planted"]


def test_campaign_is_seasonal_and_consistent():
    records = campaign_reports(config())
    by_month: dict[int, int] = {}
    for r in records:
        by_month[int(r["period"][5:])] = by_month.get(int(r["period"][5:]), 0) + r["participants"]
        assert r["volunteers"] <= r["participants"]
        assert min(r["events"], r["participants"], r["waste_collected_t"], r["area_cleaned_ha"]) >= 0
    assert set(by_month) <= set(range(3, 12))
    peaks = by_month[4] + by_month[5] + by_month[9]
    assert peaks / sum(by_month.values()) > 0.6
    assert by_month[9] > by_month[7] and by_month[4] > by_month[3]
    assert len({r["report_id"] for r in records}) == len(records)
    assert [(r["period"], r["region_kato"], r["district"]) for r in records] == sorted(
        (r["period"], r["region_kato"], r["district"]) for r in records)


def test_campaign_names_vary_but_resolve_to_the_code():
    alias = aliases()
    names: dict[str, set] = {}
    for r in campaign_reports(config()):
        assert alias[r["region_name"].lower()] == r["region_kato"]
        names.setdefault(r["region_kato"], set()).add(r["region_name"])
    assert names["310000000"] >= {"Zhambyl", "Jambyl"}
    assert "Chimkent" in names["790000000"]


# --- annual indicators ------------------------------------------------------------


def test_msw_processing_share_is_official():
    totals = indicator_totals(config(seed=11))
    official = {2022: 0.254, 2023: 0.239, 2024: 0.258, 2025: 0.286}
    for year, share in official.items():
        assert totals[year]["msw_processed_share"] == pytest.approx(share, abs=1e-9)
    for year in range(2021, 2027):
        population = sum(r.population for r in REGIONS)
        assert 4_400_000 <= totals[year]["msw_generated_t"] <= 4_700_000
        assert 205 <= totals[year]["msw_generated_t"] * 1000 / population <= 230


@pytest.mark.parametrize("seed", [42, 7, 99])
def test_education_and_satisfaction_baselines(seed):
    totals = indicator_totals(config(seed=seed))
    assert totals[2024]["pupils_in_eco_events"] / totals[2024]["pupils_total"] == pytest.approx(0.15, abs=1e-9)
    assert round(totals[2024]["satisfaction_share"], 3) == 0.558
    eco = [totals[y]["pupils_in_eco_events"] / totals[y]["pupils_total"] for y in range(2021, 2027)]
    assert eco == sorted(eco)
    population = sum(r.population for r in REGIONS)
    assert 0.15 <= totals[2024]["pupils_total"] / population <= 0.19


def test_indicator_records():
    cfg = config(today=MID_2026)
    records = annual_indicators(cfg)
    assert {r["year"] for r in records} == set(range(2021, 2026))  # 2026 is not complete yet
    assert len(records) == 20 * 5
    assert [(r["year"], r["region_kato"]) for r in records] == sorted((r["year"], r["region_kato"]) for r in records)
    for r in records:
        assert 0 <= r["pupils_in_eco_events"] <= r["pupils_total"]
        assert 0 <= r["msw_processed_t"] <= r["msw_generated_t"]
        assert 0.3 < r["satisfaction_share"] < 0.9


# --- dump detections --------------------------------------------------------------


@pytest.mark.parametrize("seed", [42, 7])
def test_dump_counts_are_official(seed):
    totals = dump_totals(config(seed=seed))
    detected = {year: figures["detected"] for year, figures in totals["national"].items()}
    assert (detected[2022], detected[2023], detected[2024], detected[2025]) == (5_738, 5_552, 4_800, 3_827)
    assert abs(detected[2021] - 6_600) <= 330 and abs(detected[2026] - 3_300) <= 330
    assert totals["national"][2024]["eliminated"] == 4_464  # 93 %
    assert totals["national"][2025]["eliminated"] == 3_464
    regional = totals["regional"]
    assert regional["110000000", 2023]["detected"] == 800
    assert regional["390000000", 2023]["detected"] == 458
    assert regional["610000000", 2023]["detected"] == 418


def test_dump_records():
    cfg = config(today=MID_2026)
    records = dump_detections(cfg)
    assert len({r["detection_id"] for r in records}) == len(records)
    assert max(r["detected_at"][:7] for r in records) == "2026-09"
    katos = {r["region_kato"] for r in records}
    assert "511010000" in katos and "790000000" not in katos
    current = {legacy: kato for kato, legacy in LEGACY_KATO.items()}
    for r in records:
        detected = datetime.fromisoformat(r["detected_at"])
        assert detected.utcoffset() == timedelta(hours=5) and 3 <= detected.month <= 9
        (lat, lon), (half_lat, half_lon) = REGION_BOXES[current.get(r["region_kato"], r["region_kato"])]
        assert abs(r["lat"] - lat) <= half_lat and abs(r["lon"] - lon) <= half_lon
        assert KZ_LAT[0] <= r["lat"] <= KZ_LAT[1] and KZ_LON[0] <= r["lon"] <= KZ_LON[1]
        assert r["area_m2"] > 0
        assert (r["status"] == "eliminated") == (r["eliminated_at"] is not None)
        if r["eliminated_at"]:
            eliminated = datetime.fromisoformat(r["eliminated_at"])
            assert detected < eliminated and eliminated.date() < MID_2026
    # September 2026 dumps cleared after today are still open
    assert any(r["status"] == "open" and r["detected_at"].startswith("2026-09") for r in records)


def test_dump_status_follows_today():
    earlier = {r["detection_id"]: r for r in dump_detections(config(today=date(2025, 10, 15)))}
    later = {r["detection_id"]: r for r in dump_detections(config(today=date(2026, 6, 1)))}
    assert set(earlier) <= set(later)
    changed = [i for i in earlier if earlier[i] != later[i]]
    assert changed and all(earlier[i]["status"] == "open" and later[i]["status"] == "eliminated" for i in changed)
    unchanged = ("detection_id", "region_kato", "lat", "lon", "area_m2", "detected_at")
    assert all([earlier[i][f] for f in unchanged] == [later[i][f] for f in unchanged] for i in changed)


# --- shared: region coding, determinism, loader typing, suites --------------------

DATASETS = [
    (CAMPAIGN_REPORTS, campaign_reports),
    (ANNUAL_INDICATORS, annual_indicators),
    (DUMP_DETECTIONS, dump_detections),
]


def test_every_spelling_and_legacy_code_is_a_known_alias():
    alias = aliases()
    for kato, names in NAME_VARIANTS.items():
        assert all(alias[name.lower()] == kato for name in names), kato
    assert all(alias[legacy] == kato for kato, legacy in LEGACY_KATO.items())
    assert set(NAME_VARIANTS) == {r.kato for r in REGIONS}


def test_another_seed_moves_figures_but_not_national_totals():
    a, b = config(seed=1), config(seed=2)
    for _, generate in DATASETS:
        assert records_digest(generate(a)) != records_digest(generate(b))
    assert campaign_totals(a)["national"] == campaign_totals(b)["national"]
    assert dump_totals(a)["national"][2024] == dump_totals(b)["national"][2024]
    for year in range(2021, 2027):
        for figure in ("pupils_total", "pupils_in_eco_events", "msw_generated_t", "msw_processed_t"):
            assert indicator_totals(a)[year][figure] == indicator_totals(b)[year][figure]
