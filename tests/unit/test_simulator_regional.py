"""The simulated regional planting reports: calibration, determinism, corrections (the HTTP
contract is in test_simulator_contract)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from taza.simulator import SimulatorConfig
from taza.simulator.allocation import largest_remainder
from taza.simulator.regional.planting_reports import (
    final_planting_reports,
    planting_corrections,
    planting_reports,
    planting_totals,
)
from taza.simulator.regions import REGIONS
from taza.sources.regional import PLANTING_REPORTS

from simulator_checks import KEY, records_digest

pytestmark = pytest.mark.unit

FULL_2026 = date(2027, 3, 15)  # every month of 2026 is complete, and every correction of it in
MID_2026 = date(2026, 11, 24)  # served up to 2026-10


def config(**overrides) -> SimulatorConfig:
    return SimulatorConfig(**{"api_key": KEY, "today": FULL_2026, **overrides})


def trees(totals: dict, programme: str, *years: int) -> int:
    return sum(totals["national"][year, programme]["trees_planted"] for year in years)


# --- calibration ------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "scale"), [(42, 1.0), (7, 0.01), (2024, 2.0)])
def test_national_forest_fund_figures_are_exact(seed, scale):
    totals = planting_totals(config(seed=seed, scale=scale))
    sff = "state_forest_fund"
    assert trees(totals, sff, 2021) == 138_000_000
    assert totals["national"][2021, sff]["area_ha"] == 66_000.00
    assert trees(totals, sff, 2021, 2022, 2023) == 839_500_000
    assert trees(totals, sff, 2021, 2022, 2023, 2024) == 1_150_000_000
    assert trees(totals, sff, 2021, 2022, 2023, 2024, 2025) == 1_500_000_000
    assert trees(totals, sff, 2026) == 208_000_000


@pytest.mark.parametrize("seed", [42, 7])
def test_settlement_and_campaign_figures_are_exact(seed):
    totals = planting_totals(config(seed=seed))
    assert trees(totals, "settlements", 2021, 2022, 2023) == 10_300_000
    assert trees(totals, "settlements", 2021, 2022, 2023, 2024) == 14_300_000
    assert trees(totals, "settlements", 2021, 2022, 2023, 2024, 2025) == 18_100_000
    campaign = {year: trees(totals, "taza_campaign", year) for year in range(2021, 2027)}
    assert campaign[2021] == campaign[2022] == 0
    assert campaign[2023] == 900_000
    assert campaign[2024] == 1_600_000
    assert campaign[2025] == 2_100_000
    assert campaign[2026] > 0


def test_observed_regional_figures_are_kept():
    regional = planting_totals(config())["regional"]
    assert regional["270000000", 2021, "state_forest_fund"] == {"trees_planted": 3_500_000, "area_ha": 900.0}
    assert regional["590000000", 2021, "state_forest_fund"] == {"trees_planted": 3_500_000, "area_ha": 869.0}
    turkistan = [regional["610000000", year, "state_forest_fund"] for year in (2021, 2022, 2023)]
    assert sum(f["trees_planted"] for f in turkistan) == 78_000_000
    assert round(sum(f["area_ha"] for f in turkistan), 2) == 51_600.0


@pytest.mark.parametrize("today", [FULL_2026, MID_2026])
def test_totals_are_the_sums_of_the_records(today):
    cfg = config(scale=0.3, today=today)
    totals = planting_totals(cfg)
    national: dict = {}
    for r in planting_reports(cfg):
        key = (int(r["period"][:4]), r["programme"])
        trees_sum, area_sum = national.get(key, (0, 0.0))
        national[key] = (trees_sum + r["trees_planted"], area_sum + r["area_ha"])
    for key, figures in totals["national"].items():
        trees_sum, area_sum = national.get(key, (0, 0.0))
        assert figures == {"trees_planted": trees_sum, "area_ha": round(area_sum, 2)}
    for year, programme in totals["national"]:
        assert totals["national"][year, programme]["trees_planted"] == sum(
            totals["regional"][r.kato, year, programme]["trees_planted"] for r in REGIONS
        )


def test_planting_is_seasonal():
    months: dict[int, int] = {}
    for r in planting_reports(config()):
        if r["programme"] == "state_forest_fund":
            months[int(r["period"][5:])] = months.get(int(r["period"][5:]), 0) + r["trees_planted"]
    spring = sum(months.get(m, 0) for m in (3, 4, 5))
    autumn = sum(months.get(m, 0) for m in (9, 10, 11))
    assert set(months) <= {3, 4, 5, 9, 10, 11}
    assert 0.5 < spring / (spring + autumn) < 0.7


# --- records ----------------------------------------------------------------------


def test_records_follow_the_loader_schema():
    records = planting_reports(config())
    first_filed = {c["report_id"]: datetime.fromisoformat(c["first_reported_at"])
                   for c in planting_corrections(config())}
    katos = {r.kato: r.name for r in REGIONS}
    assert len({r["report_id"] for r in records}) == len(records)
    order = [(r["period"], r["region_kato"], r["district"], r["programme"]) for r in records]
    assert order == sorted(order)
    for r in records:
        assert tuple(r) == PLANTING_REPORTS.column_names
        assert katos[r["region_kato"]] == r["region_name"]
        assert r["programme"] in {"state_forest_fund", "settlements", "taza_campaign"}
        assert isinstance(r["trees_planted"], int) and r["trees_planted"] > 0
        assert r["area_ha"] > 0 and round(r["area_ha"], 2) == r["area_ha"]
        reported = datetime.fromisoformat(r["reported_at"])
        assert reported.utcoffset() == timedelta(hours=5)
        filed = first_filed.get(r["report_id"], reported)  # a corrected report carries its correction time
        assert filed <= reported
        month_start = datetime.strptime(r["period"], "%Y-%m").replace(tzinfo=timezone(timedelta(hours=5)))
        assert month_start + timedelta(days=31) < filed < month_start + timedelta(days=45)


def test_densities_are_plausible():
    # 1,000-4,000 seedlings/ha, plus the +-10 % cell noise around North Kazakhstan's
    # observed 2021 figure (3.5 M on 869 ha, about 4,030/ha).
    for r in planting_reports(config()):
        if r["trees_planted"] >= 1_000:
            assert 1_000 <= r["trees_planted"] / r["area_ha"] <= 4_500, r


def test_scale_multiplies_districts():
    def districts(scale: float) -> set:
        return {(r["region_kato"], r["district"]) for r in planting_reports(config(scale=scale))}

    assert len(districts(0.01)) == len(REGIONS)
    assert 8 * len(REGIONS) <= len(districts(1.0)) <= 15 * len(REGIONS)
    assert len(districts(2.0)) == 2 * len(districts(1.0))
    assert districts(1.0) < districts(2.0)


def test_another_seed_moves_trees_but_not_national_totals():
    a, b = config(seed=1), config(seed=2)
    assert records_digest(planting_reports(a)) != records_digest(planting_reports(b))

    def national_trees(cfg: SimulatorConfig) -> dict:
        return {key: figures["trees_planted"] for key, figures in planting_totals(cfg)["national"].items()}

    assert national_trees(a) == national_trees(b)


# --- cut-off at the last complete month -----------------------------------------


@pytest.mark.parametrize(
    ("today", "last_month"),
    [(date(2026, 11, 24), "2026-10"), (date(2026, 11, 1), "2026-10"), (date(2026, 1, 31), "2025-12")],
)
def test_last_complete_month(today, last_month):
    assert config(today=today).last_complete_month == last_month


def test_served_months_stop_at_the_last_complete_month():
    full = planting_reports(config())
    mid = planting_reports(config(today=MID_2026))
    assert max(r["period"] for r in mid) == "2026-10"
    pending = {c["report_id"]: c for c in planting_corrections(config(today=MID_2026)) if corrected_on(c) >= MID_2026}
    assert pending, "the newest months hold reports not corrected yet"
    # Records change later only by their correction.
    assert mid == [preliminary(r, pending[r["report_id"]]) if r["report_id"] in pending else r
                   for r in full if r["period"] <= "2026-10"]
    served_2026 = trees(planting_totals(config(today=MID_2026)), "state_forest_fund", 2026)
    assert 0 < served_2026 < 208_000_000
    assert planting_reports(config(today=date(2021, 1, 20))) == []


# --- corrections -----------------------------------------------------------------


def corrected_on(correction: dict) -> date:
    return datetime.fromisoformat(correction["corrected_at"]).date()


def preliminary(record: dict, correction: dict) -> dict:
    return {**record, "trees_planted": correction["preliminary_trees_planted"],
            "area_ha": correction["preliminary_area_ha"], "reported_at": correction["first_reported_at"]}


def test_a_report_is_preliminary_until_the_day_after_its_correction_then_final():
    cfg = config(scale=0.3)
    corrections = planting_corrections(cfg)
    for correction in corrections[::50]:
        day = corrected_on(correction)
        [before, after] = [r for today in (day, day + timedelta(days=1))
                           for r in planting_reports(config(scale=0.3, today=today))
                           if r["report_id"] == correction["report_id"]]
        assert (before["trees_planted"], before["area_ha"], before["reported_at"]) == (
            correction["preliminary_trees_planted"], correction["preliminary_area_ha"], correction["first_reported_at"])
        assert (after["trees_planted"], after["area_ha"], after["reported_at"]) == (
            correction["trees_planted"], correction["area_ha"], correction["corrected_at"])


def test_about_one_report_in_twenty_is_corrected_15_to_60_days_later_with_valid_figures():
    records = planting_reports(config())
    corrections = planting_corrections(config())
    assert 0.035 < len(corrections) / len(records) < 0.065
    for c in corrections:
        trees, first = c["preliminary_trees_planted"], c["trees_planted"]
        assert isinstance(trees, int) and trees > 0 and trees != first
        assert abs(trees - first) <= max(1, 0.2 * first + 0.5)
        assert c["preliminary_area_ha"] > 0 and round(c["preliminary_area_ha"], 2) == c["preliminary_area_ha"]
        delay = datetime.fromisoformat(c["corrected_at"]).date() - datetime.fromisoformat(c["first_reported_at"]).date()
        assert timedelta(days=15) <= delay <= timedelta(days=60)


def test_recent_months_hold_preliminary_figures_and_complete_years_end_exact():
    just_after = config(today=date(2026, 1, 15))  # 2025 complete, its last corrections still due
    served = {r["report_id"]: r for r in planting_reports(just_after)}
    final = {r["report_id"]: r for r in final_planting_reports(just_after)}
    differing = {report_id for report_id in served if served[report_id] != final[report_id]}
    assert differing and {served[report_id]["period"] for report_id in differing} & {"2025-11", "2025-12"}
    assert trees(planting_totals(just_after), "state_forest_fund", *range(2021, 2026)) != 1_500_000_000
    corrected = planting_totals(config(today=date(2026, 3, 15)))
    assert trees(corrected, "state_forest_fund", *range(2021, 2026)) == 1_500_000_000
    assert trees(corrected, "taza_campaign", 2025) == 2_100_000


def test_config_validation():
    with pytest.raises(ValueError):
        SimulatorConfig(api_key="")
    with pytest.raises(ValueError):
        SimulatorConfig(api_key=KEY, scale=0)


# --- allocation -----------------------------------------------------------------


def test_largest_remainder_is_exact_and_proportional():
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert largest_remainder(7, [0, 2, 5]) == [0, 2, 5]
    assert largest_remainder(0, [0, 0]) == [0, 0]
    parts = largest_remainder(138_000_000, [0.3, 1.7, 2.9, 0.01])
    assert sum(parts) == 138_000_000
    with pytest.raises(ValueError):
        largest_remainder(5, [0, 0])
