"""taza_ingest_regional and taza_ingest_nursery for a year over HTTP: every dataset lands,
its counts and sums matching the simulator's own figures, and every batch balances."""
from __future__ import annotations

from decimal import Decimal

import pytest

from dag_runs import run_dag
from taza.simulator.nursery.nurseries import registry_totals
from taza.simulator.nursery.seedling_stock import stock_totals
from taza.simulator.nursery.survival_inventories import survival_inventories
from taza.simulator.regional.annual_indicators import annual_indicators
from taza.simulator.regional.campaign_reports import campaign_reports
from taza.simulator.regional.dump_detections import dump_totals
from taza.simulator.regional.planting_reports import planting_reports

pytestmark = pytest.mark.integration

YEAR_2024 = {"period_from": "2024-01", "period_to": "2024-12"}


def batch_accounts(db, run_id):
    """Per dataset: batches, received, loaded, quarantined, all validated, all balanced."""
    db.execute("""SELECT dataset, count(*), sum(received_count), sum(loaded_count), sum(quarantined_count),
                         bool_and(status = 'validated'),
                         bool_and(received_count = loaded_count + quarantined_count)
                  FROM audit.batch WHERE run_id = %s GROUP BY dataset""", (run_id,))
    return {row[0]: row[1:] for row in db.fetchall()}


def raw_figures(db, dataset, run_id, *sums):
    """Row count and the given column sums of the run's batches of a raw table."""
    columns = "".join(f", sum(r.{column})" for column in sums)
    db.execute(f"""SELECT count(*){columns} FROM raw.{dataset} r
                   JOIN audit.batch b ON b.batch_id = r._batch_id WHERE b.run_id = %s""", (run_id,))
    return db.fetchone()


@pytest.fixture(scope="module")
def regional_run(airflow_env):
    return run_dag("taza_ingest_regional", YEAR_2024).run_id


@pytest.fixture(scope="module")
def nursery_run(airflow_env):
    return run_dag("taza_ingest_nursery", YEAR_2024).run_id


def test_regional_year_lands_one_batch_per_period_and_balances(regional_run, db, simulator_config):
    accounts = batch_accounts(db, regional_run)
    assert {dataset: batches for dataset, (batches, *_) in accounts.items()} == {
        "regional__planting_reports": 12, "regional__campaign_reports": 12,
        "regional__dump_detections": 12, "regional__annual_indicators": 1,
        "regional__planting_plans": 1}  # the plan register: a snapshot, landed once by every run
    assert all(validated and balanced for *_, validated, balanced in accounts.values())
    assert all(quarantined == 0 for _, _, _, quarantined, _, _ in accounts.values())


def test_regional_counts_and_sums_match_the_simulator(regional_run, db, simulator_config):
    plantings = [r for r in planting_reports(simulator_config) if r["period"].startswith("2024")]
    assert raw_figures(db, "regional__planting_reports", regional_run, "trees_planted", "area_ha") == (
        len(plantings), sum(r["trees_planted"] for r in plantings),
        sum(Decimal(str(r["area_ha"])) for r in plantings))

    campaign = [r for r in campaign_reports(simulator_config) if r["period"].startswith("2024")]
    assert raw_figures(db, "regional__campaign_reports", regional_run, "participants", "waste_collected_t") == (
        len(campaign), sum(r["participants"] for r in campaign),
        sum(Decimal(str(r["waste_collected_t"])) for r in campaign))

    dumps = dump_totals(simulator_config)["national"][2024]
    db.execute("""SELECT count(*), count(*) FILTER (WHERE r.status = 'eliminated')
                  FROM raw.regional__dump_detections r JOIN audit.batch b ON b.batch_id = r._batch_id
                  WHERE b.run_id = %s""", (regional_run,))
    assert db.fetchone() == (dumps["detected"], dumps["eliminated"])

    indicators = [r for r in annual_indicators(simulator_config) if r["year"] == 2024]
    assert raw_figures(db, "regional__annual_indicators", regional_run, "msw_generated_t", "pupils_total") == (
        len(indicators), sum(Decimal(str(r["msw_generated_t"])) for r in indicators),
        sum(r["pupils_total"] for r in indicators))


def test_nursery_year_matches_the_simulator(nursery_run, db, simulator_config):
    accounts = batch_accounts(db, nursery_run)
    assert {dataset: batches for dataset, (batches, *_) in accounts.items()} == {
        "nursery__nurseries": 1, "nursery__seedling_stock": 1, "nursery__survival_inventories": 1}
    assert all(validated and balanced for *_, validated, balanced in accounts.values())

    registry = registry_totals(simulator_config)["national"]
    assert raw_figures(db, "nursery__nurseries", nursery_run, "capacity_seedlings_per_year", "area_ha") == (
        registry["nurseries"], registry["capacity_seedlings_per_year"], Decimal(str(registry["area_ha"])))

    stock = stock_totals(simulator_config)["national"][2024]
    count, total, ready = raw_figures(db, "nursery__seedling_stock", nursery_run,
                                      "seedlings_total", "seedlings_ready")
    assert count > 0 and (total, ready) == (stock["seedlings_total"], stock["seedlings_ready"])

    inspections = [r for r in survival_inventories(simulator_config) if r["inspection_year"] == 2024]
    assert raw_figures(db, "nursery__survival_inventories", nursery_run, "planted", "surviving") == (
        len(inspections), sum(r["planted"] for r in inspections), sum(r["surviving"] for r in inspections))
