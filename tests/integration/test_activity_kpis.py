"""Campaign, society, dumps and industry KPIs end to end: simulator over HTTP -> ingest DAGs
-> GX -> dbt (snapshots, marts, KPI values), checked against the simulator's own totals.

Windows are modest: the regional activity feeds for 2024-2025, the industry feeds for
2022 (emission reports, commitments, plantings), then January and February 2025 as two
runs (the telemetry, read for each run's own interval). No other test loads readings of
2025's first months. With February loaded, a rerun of January refetches the month whole
and supersedes its batch.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from dag_runs import run_dag
from dbt_calls import run_dbt
from taza.simulator.industry.ams_stacks import ams_stack_records
from taza.simulator.industry.emissions_annual import emission_totals
from taza.simulator.industry.enterprises import ams_totals
from taza.simulator.industry.greening import commitment_records, planting_records
from taza.simulator.industry.telemetry import telemetry_readings
from taza.simulator.regional.annual_indicators import indicator_totals
from taza.simulator.regional.campaign_reports import campaign_totals
from taza.simulator.regional.dump_detections import dump_totals

pytestmark = pytest.mark.integration

REGIONAL = {"period_from": "2024-01", "period_to": "2025-12"}
INDUSTRY_2022 = {"period_from": "2022-01", "period_to": "2022-12"}
INDUSTRY_JAN_2025 = {"period_from": "2025-01", "period_to": "2025-01"}
INDUSTRY_FEB_2025 = {"period_from": "2025-02", "period_to": "2025-02"}
# The planting reports belong to the trees slice (test_concept_scorecard counts their batches).
SKIP_PLANTING_REPORTS = r"^(land|validate)_planting_reports$"
ACTIVITY_DATASETS = ("regional__campaign_reports", "regional__annual_indicators", "regional__dump_detections",
                     "industry__enterprises", "industry__commitments", "industry__plantings",
                     "industry__emissions_annual", "industry__telemetry")
KPI_MODELS = ("int_kpi_values__campaign", "int_kpi_values__society", "int_kpi_values__dumps",
              "int_kpi_values__industry")
# Business columns of every mart and KPI view this domain builds (lineage columns left out).
BUSINESS_COLUMNS = {
    "marts.fct_campaign_activity": "region_kato, period_month, events, participants, volunteers, waste_collected_t, "
                                   "area_cleaned_ha, trees_planted, dumps_eliminated, report_count, district_count",
    "marts.fct_dump_detections": "detection_id, region_kato, detected_at, status, days_to_eliminate, area_m2",
    "marts.fct_emissions_annual_v2": "emission_report_id, enterprise_bin, region_kato, year, pollutant, emissions_t",
    "marts.fct_commitments_v2": "enterprise_bin, region_kato, year, trees_committed, trees_planted, fulfilment_share",
    "marts.dim_enterprise_v2": "enterprise_bin, region_kato, is_ams_obliged, ams_installed_at, ams_connected_at, "
                               "version_valid_from",
    "marts.fct_emission_readings_v2": "count(*), count(DISTINCT reading_id), sum(value_mg_m3), "
                                      "count(*) FILTER (WHERE is_over_limit)",
    **{f"intermediate.{model}": "kpi_code, variant, scope, region_kato, enterprise_bin, year, actual_value, "
                                "is_partial_year" for model in KPI_MODELS},
}


def dbt_build(warehouse_url):
    """dbt build of this domain's KPI values and everything they rest on (snapshots included)."""
    selection = [f"+{model}" for model in KPI_MODELS] + ["+fct_commitments"]
    run_dbt(warehouse_url, "build", "--select", *selection, "--indirect-selection", "cautious")


def snapshot_of_marts(db) -> dict:
    result = {}
    for relation, columns in BUSINESS_COLUMNS.items():
        db.execute(f"SELECT {columns} FROM {relation}")
        result[relation] = sorted(db.fetchall(), key=lambda row: tuple(map(str, row)))
    return result


def kpi(db, model, code, scope="national", region=None, bin_=None) -> dict:
    """{year: actual_value as float} of one KPI series."""
    db.execute(f"""SELECT year, actual_value FROM intermediate.{model}
                   WHERE kpi_code = %s AND scope = %s AND region_kato IS NOT DISTINCT FROM %s
                     AND enterprise_bin IS NOT DISTINCT FROM %s""", (code, scope, region, bin_))
    return {year: float(value) for year, value in db.fetchall()}


@pytest.fixture(scope="module")
def built(airflow_env, warehouse_url, dbt_manifest):
    runs = [run_dag("taza_ingest_regional", REGIONAL, skip=SKIP_PLANTING_REPORTS).run_id,
            run_dag("taza_ingest_industry", INDUSTRY_2022).run_id,
            run_dag("taza_ingest_industry", INDUSTRY_JAN_2025).run_id,
            run_dag("taza_ingest_industry", INDUSTRY_FEB_2025).run_id]
    dbt_build(warehouse_url)
    return runs


def test_every_record_of_the_runs_is_loaded_or_quarantined(built, db):
    db.execute("""SELECT dataset, count(*), count(*) FILTER (WHERE status = 'validated'),
                         count(*) FILTER (WHERE received_count = loaded_count + quarantined_count), sum(loaded_count)
                  FROM audit.batch WHERE run_id = ANY(%s) AND dataset = ANY(%s) GROUP BY dataset""",
               (built, list(ACTIVITY_DATASETS)))
    batches = {dataset: (n, validated, balanced, loaded) for dataset, n, validated, balanced, loaded in db.fetchall()}
    assert set(batches) == set(ACTIVITY_DATASETS)
    assert all(n == validated == balanced for n, validated, balanced, _ in batches.values())
    assert batches["regional__campaign_reports"][0] == 24  # one batch per month of 2024-2025
    assert batches["industry__telemetry"][3] > 0


def test_campaign_2024_matches_the_simulator_nationally_and_by_region(built, db, simulator_config):
    totals = campaign_totals(simulator_config)
    national = totals["national"][2024]
    model = "int_kpi_values__campaign"
    assert kpi(db, model, "campaign_participants")[2024] == national["participants"]
    assert kpi(db, model, "waste_collected_t")[2024] == pytest.approx(national["waste_collected_t"], abs=1e-6)
    assert kpi(db, model, "waste_collected_kg_per_participant")[2024] == pytest.approx(
        national["waste_collected_t"] * 1000 / national["participants"], abs=1e-6)
    db.execute("""SELECT region_kato, actual_value FROM intermediate.int_kpi_values__campaign
                  WHERE kpi_code = 'campaign_participants' AND scope = 'region' AND year = 2024""")
    by_region = {kato: int(value) for kato, value in db.fetchall()}
    assert by_region == {kato: figures["participants"] for (kato, year), figures in totals["regional"].items()
                         if year == 2024 and figures["participants"]}
    db.execute("""SELECT sum(population) FROM marts.dim_region_population WHERE year = 2024""")
    population = float(db.fetchone()[0])
    assert kpi(db, model, "campaign_participation_rate")[2024] == pytest.approx(
        national["participants"] / population, abs=1e-6)


def test_dumps_per_year_and_share_removed_match_the_simulator(built, db, simulator_config):
    totals = dump_totals(simulator_config)["national"]
    detected = kpi(db, "int_kpi_values__dumps", "dumps_detected")
    rate = kpi(db, "int_kpi_values__dumps", "dumps_elimination_rate")
    for year in (2024, 2025):
        assert detected[year] == totals[year]["detected"]
        assert rate[year] == pytest.approx(totals[year]["eliminated"] / totals[year]["detected"], abs=1e-6)
    median = kpi(db, "int_kpi_values__dumps", "dumps_median_days_to_eliminate")
    # the simulator clears a dump 1-180 days after detection and most 2024 dumps are cleared,
    # so the Kaplan-Meier median (open dumps censored) falls in that range
    assert 1 <= median[2024] <= 180


def test_society_shares_match_the_simulator(built, db, simulator_config):
    totals = indicator_totals(simulator_config)
    msw = kpi(db, "int_kpi_values__society", "msw_processing_share")
    eco = kpi(db, "int_kpi_values__society", "eco_education_share")
    satisfaction = kpi(db, "int_kpi_values__society", "citizen_satisfaction_share")
    for year in (2024, 2025):
        assert msw[year] == pytest.approx(totals[year]["msw_processed_share"], abs=1e-6)
        assert eco[year] == pytest.approx(totals[year]["pupils_in_eco_events"] / totals[year]["pupils_total"], abs=1e-6)
        # weighted by the population seed, the simulator by its own regional figures: close, not equal
        assert satisfaction[year] == pytest.approx(totals[year]["satisfaction_share"], abs=0.005)


def test_ams_counts_and_shares_match_the_registry(built, db, simulator_config):
    totals = ams_totals(simulator_config)
    db.execute("""SELECT count(*) FILTER (WHERE is_ams_obliged), count(*) FILTER (WHERE is_ams_installed),
                         count(*) FILTER (WHERE is_ams_connected), count(*) FILTER (WHERE ams_deferred_to IS NOT NULL)
                  FROM marts.dim_enterprise_v2""")
    assert db.fetchone() == (totals["obliged"], totals["installed"], totals["connected"], totals["deferred"])
    # the simulator defers to 2026-2029 (DOMAIN.md: 17 deferred to 2026-2029): none is obliged in 2025
    obliged_2025 = totals["obliged"] - totals["deferred"]
    assert kpi(db, "int_kpi_values__industry", "ams_installed_share")[2025] == pytest.approx(
        totals["installed"] / obliged_2025, abs=1e-6)
    assert kpi(db, "int_kpi_values__industry", "ams_connected_share")[2025] == pytest.approx(
        totals["connected"] / obliged_2025, abs=1e-6)


def test_2022_emissions_by_region_and_commitment_fulfilment_match_the_simulator(built, db, simulator_config):
    totals = emission_totals(simulator_config)
    db.execute("""SELECT region_kato, actual_value FROM intermediate.int_kpi_values__industry
                  WHERE kpi_code = 'stationary_emissions_kt' AND scope = 'region' AND year = 2022""")
    assert {kato: float(kt) for kato, kt in db.fetchall()} == pytest.approx(
        {kato: t / 1000 for (kato, year), t in totals["regional"].items() if year == 2022}, abs=1e-6)
    assert kpi(db, "int_kpi_values__industry", "stationary_emissions_kt")[2022] == pytest.approx(
        totals["national"][2022] / 1000, abs=1e-6)
    committed = defaultdict(int)
    for r in commitment_records(simulator_config):
        committed[r["bin"]] += r["trees_committed"] if r["year"] == 2022 else 0
    planted = defaultdict(int)
    for r in planting_records(simulator_config):
        planted[r["bin"]] += r["trees_planted"] if r["period"].startswith("2022") else 0
    assert kpi(db, "int_kpi_values__industry", "industry_commitment_fulfilment")[2022] == pytest.approx(
        sum(planted[b] for b in committed if committed[b]) / sum(committed.values()), abs=1e-6)
    some_bin = max(committed, key=committed.get)
    db.execute("SELECT region_kato FROM marts.dim_enterprise_v2 WHERE enterprise_bin = %s", (some_bin,))
    region = db.fetchone()[0]
    assert kpi(db, "int_kpi_values__industry", "industry_commitment_fulfilment", "enterprise", region, some_bin)[
        2022] == pytest.approx(planted[some_bin] / committed[some_bin], abs=1e-6)


def test_telemetry_completeness_and_exceedances_match_the_feed(built, db, simulator_config):
    readings = telemetry_readings(simulator_config, "2024-12-31T23:59:59.999999+00:00", "2025-03-01T00:00:00+00:00")
    ok = sum(r["status"] == "ok" for r in readings)
    # every registered stack and pollutant required by 2025 owes one reading per 20-minute
    # slot of January and February, silent ones included; deferred ones owe none yet
    required = sum(date.fromisoformat(r["required_from"]) <= date(2025, 1, 1) for r in ams_stack_records(simulator_config))
    slots = (date(2025, 3, 1) - date(2025, 1, 1)).days * 72
    assert required * slots > len(readings), "the registry holds silent stacks"
    assert kpi(db, "int_kpi_values__industry", "telemetry_completeness")[2025] == pytest.approx(
        ok / (required * slots), abs=1e-6)
    exceedances = sum(r["status"] == "ok" and r["value_mg_m3"] > r["limit_mg_m3"] for r in readings)
    assert kpi(db, "int_kpi_values__industry", "emission_limit_exceedances")[2025] == exceedances
    assert kpi(db, "int_kpi_values__industry", "emission_exceedances_per_1000_readings")[2025] == pytest.approx(
        exceedances * 1000 / len(readings), abs=1e-6)
    db.execute("""SELECT count(*) FROM marts.fct_emission_readings_v2
                  WHERE reading_at >= '2025-01-01' AND reading_at < '2025-03-01'""")
    assert db.fetchone()[0] == len(readings)


def test_rerun_of_an_interval_changes_no_business_column(built, db, warehouse_url):
    before = snapshot_of_marts(db)
    db.execute("SELECT count(*) FROM snapshots.snap_industry__enterprises")
    versions_before = db.fetchone()
    reruns = [run_dag("taza_ingest_regional", {"period_from": "2024-05", "period_to": "2024-05"},
                      skip=SKIP_PLANTING_REPORTS).run_id,
              run_dag("taza_ingest_industry", INDUSTRY_JAN_2025).run_id]
    db.execute("""SELECT count(*) FROM audit.batch WHERE run_id = ANY(%s)
                  AND dataset IN ('regional__campaign_reports', 'industry__telemetry') AND status = 'validated'""",
               (reruns,))
    assert db.fetchone() == (2,), "the rerun landed new batches of the campaign month and the telemetry month"
    db.execute("""SELECT interval_start, interval_end, loaded_count FROM audit.batch
                  WHERE run_id = %s AND dataset = 'industry__telemetry'""", (reruns[1],))
    start, end, loaded = db.fetchone()
    assert (start.isoformat(), end.isoformat()) == ("2025-01-01T00:00:00+00:00", "2025-02-01T00:00:00+00:00")
    assert loaded > 0, "January is refetched whole: the watermark is past it"
    dbt_build(warehouse_url)
    assert snapshot_of_marts(db) == before
    db.execute("SELECT count(*) FROM snapshots.snap_industry__enterprises")
    assert db.fetchone() == versions_before, "the same registry again adds no SCD2 version"
    db.execute("""SELECT DISTINCT _batch_id FROM marts.fct_emission_readings_v2
                  WHERE reading_at >= '2025-01-01' AND reading_at < '2025-02-01'""")
    assert db.fetchall() == [(reruns_telemetry_batch(db, reruns[1]),)], "the rerun's batch replaced the month"


def reruns_telemetry_batch(db, run_id) -> str:
    db.execute("SELECT batch_id FROM audit.batch WHERE run_id = %s AND dataset = 'industry__telemetry'", (run_id,))
    return db.fetchone()[0]


def test_year_coverage_follows_each_feed_calendar_not_the_newest_data_month(built, db):
    """Complete years come from the batches each feed's calendar asks for: the campaign's
    twelve months, the dump-monitoring season, the annual commitments; telemetry read for
    January and February 2025 leaves 2025 partial."""
    db.execute("""SELECT dataset, year, is_complete FROM intermediate.int_feed_year_coverage
                  WHERE dataset IN ('regional__campaign_reports', 'regional__dump_detections',
                                    'industry__commitments', 'industry__plantings', 'industry__telemetry')""")
    coverage = {(dataset, year): complete for dataset, year, complete in db.fetchall()}
    assert coverage[("regional__campaign_reports", 2024)] and coverage[("regional__campaign_reports", 2025)]
    assert coverage[("regional__dump_detections", 2024)] and coverage[("regional__dump_detections", 2025)]
    assert coverage[("industry__commitments", 2022)] and coverage[("industry__plantings", 2022)]
    assert coverage[("industry__telemetry", 2025)] is False
    assert kpi_partial(db, "int_kpi_values__dumps", 2024) == {"dumps_detected": False, "dumps_elimination_rate": False,
                       "dumps_median_days_to_eliminate": False}


def kpi_partial(db, model, year) -> dict:
    db.execute(f"""SELECT kpi_code, is_partial_year FROM intermediate.{model}
                   WHERE scope = 'national' AND year = %s""", (year,))
    return dict(db.fetchall())
