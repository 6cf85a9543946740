"""The first slice end to end, in-process: simulator over HTTP -> ingest DAG -> GX -> dbt -> KPI.

The DAGs run with ``dag.test()`` against the session's embedded PostgreSQL; the KPI is
checked against the simulator's own totals, never against numbers written here.
"""
from __future__ import annotations

from collections import defaultdict

import pytest

from taza.simulator import regional

pytestmark = pytest.mark.integration

HISTORY = {"period_from": "2021-01", "period_to": "2026-10"}


def run_dag(dagbag, dag_id, conf=None):
    from airflow.utils.state import DagRunState

    run = dagbag.dags[dag_id].test(run_conf=conf)
    assert run.state == DagRunState.SUCCESS, f"{dag_id} ended {run.state}"
    return run


def kpi_rows(db):
    db.execute("""SELECT scope, coalesce(region_kato, ''), programme, year, trees_planted_year,
                         trees_planted_cumulative, target_value, share_of_target
                  FROM marts.kpi_trees_planted ORDER BY 1, 2, 3, 4""")
    return db.fetchall()


@pytest.fixture(scope="module")
def built(dagbag):
    """Ingest the whole history in one run, then build the marts."""
    history_run = run_dag(dagbag, "taza_ingest_regional", HISTORY)
    run_dag(dagbag, "taza_build_kpis")
    return history_run.run_id


def test_every_record_served_is_in_raw_once_and_accounted_for(built, db, simulator_config):
    served = regional.planting_reports(simulator_config)
    db.execute("""SELECT count(*), count(DISTINCT report_id), sum(trees_planted)
                  FROM raw.regional__planting_reports r JOIN audit.batch b ON b.batch_id = r._batch_id
                  WHERE b.run_id = %s""", (built,))
    assert db.fetchone() == (len(served), len(served), sum(r["trees_planted"] for r in served))
    db.execute("""SELECT count(*), count(*) FILTER (WHERE status = 'validated'),
                         count(*) FILTER (WHERE received_count = loaded_count + quarantined_count),
                         sum(received_count), sum(quarantined_count)
                  FROM audit.batch WHERE run_id = %s AND dataset = 'regional__planting_reports'""", (built,))
    batches, validated, balanced, received, quarantined = db.fetchone()
    assert batches == validated == balanced == 70  # one batch per month, 2021-01 .. 2026-10
    assert (received, quarantined) == (len(served), 0)


def test_kpi_matches_the_simulators_totals(built, db, simulator_config):
    totals = regional.planting_totals(simulator_config)
    by_year = defaultdict(int)
    for (year, programme), value in totals["national"].items():
        if programme == "state_forest_fund":
            by_year[year] += value["trees_planted"]
    db.execute("""SELECT year, trees_planted_year, trees_planted_cumulative, target_value
                  FROM marts.kpi_trees_planted
                  WHERE scope = 'national' AND programme = 'state_forest_fund' ORDER BY year""")
    rows = db.fetchall()
    cumulative = 0
    expected = []
    for year in sorted(by_year):
        cumulative += by_year[year]
        expected.append((year, by_year[year], cumulative, 2_000_000_000))
    assert rows == expected


def test_regions_add_up_to_the_nation_and_match_the_simulator(built, db, simulator_config):
    totals = regional.planting_totals(simulator_config)["regional"]
    db.execute("""SELECT region_kato, year, trees_planted_year FROM marts.kpi_trees_planted
                  WHERE scope = 'region' AND programme = 'all'""")
    actual = {(kato, year): trees for kato, year, trees in db.fetchall()}
    expected = defaultdict(int)
    for (kato, year, _programme), value in totals.items():
        expected[(kato, year)] += value["trees_planted"]
    assert actual == dict(expected)


def test_official_state_forest_fund_total_2021_2024(built, db):
    """DOMAIN.md: 1.15 bn trees planted in the state forest fund in 2021-2024 (official)."""
    db.execute("""SELECT trees_planted_cumulative FROM marts.kpi_trees_planted
                  WHERE scope = 'national' AND programme = 'state_forest_fund' AND year = 2024""")
    assert db.fetchone() == (1_150_000_000,)


def may_2024_batches(db) -> int:
    db.execute("""SELECT count(*) FROM audit.batch
                  WHERE dataset = 'regional__planting_reports' AND interval_start = '2024-05-01'""")
    return db.fetchone()[0]


def test_rerun_of_an_interval_lands_a_new_batch_and_changes_no_mart(built, dagbag, db):
    before = kpi_rows(db)
    db.execute("SELECT count(*) FROM staging.stg_regional__planting_reports")
    staged_before = db.fetchone()
    batches_before = may_2024_batches(db)  # other modules of the session may have landed the month too
    run_dag(dagbag, "taza_ingest_regional", {"period_from": "2024-05", "period_to": "2024-05"})
    run_dag(dagbag, "taza_build_kpis")
    assert kpi_rows(db) == before
    db.execute("SELECT count(*) FROM staging.stg_regional__planting_reports")
    assert db.fetchone() == staged_before
    assert may_2024_batches(db) == batches_before + 1, "raw is append-only: the rerun is one more batch"
    db.execute("""SELECT count(DISTINCT _batch_id) FROM staging.stg_regional__planting_reports
                  WHERE period_month = '2024-05-01'""")
    assert db.fetchone() == (1,), "staging reads only the newest validated batch"
