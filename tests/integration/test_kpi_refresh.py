"""The KPI DAG builds only what changed since its last build that succeeded (taza.pipeline.kpi_refresh),
and leaves the marts as a full build would.

On the session's build of the whole history (its KPI build is on record in audit.kpi_build): a run
with nothing new builds nothing; after one more day of AMS telemetry and a mart dropped by hand, a
run builds what reads them and skips every other node, the data-quality report says why, and a full
`dbt build` after it changes no mart.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from dag_runs import run_dag
from dbt_calls import run_dbt
from mart_rows import mart_business_rows

pytestmark = pytest.mark.integration

PRODUCER = "dbt.dbt_producer_watcher"
DROPPED_MART = "dim_date"


@pytest.fixture(scope="module")
def built(built_history) -> None:
    built_history.restore()


def node_task_states(run) -> dict[str, str]:
    """The state of each node's task (``dbt.<node>_build``) of a KPI DAG run."""
    return {ti.task_id: ti.state for ti in run.get_task_instances()
            if ti.task_id.startswith("dbt.") and ti.task_id.endswith("_build")}


def node_task_id(node: dict) -> str:
    """The KPI DAG's task of a dbt node (Cosmos names a version ``<name>_v<version>``)."""
    return f"dbt.{node['name']}" + (f"_v{node['version']}" if node.get("version") is not None else "") + "_build"


def last_kpi_build(db) -> dict:
    db.execute("""SELECT build_id, is_full, reason, rebuilt_nodes, succeeded_at IS NOT NULL AS succeeded
                  FROM audit.kpi_build ORDER BY build_id DESC LIMIT 1""")
    return dict(zip([c.name for c in db.description], db.fetchone()))


def land_the_telemetry_day_before_the_loaded_window(simulator_url: str, warehouse_url: str, db):
    """Land and gate one more day of AMS telemetry as the industry DAG's tasks do; (day start, readings)."""
    from taza import config
    from taza.pipeline.ingest import ingest_interval
    from taza.quality.gate import validate_batches
    from taza.sources.http import SourceClient
    from taza.sources.industry import TELEMETRY

    db.execute("SELECT min(interval_start) FROM audit.batch WHERE dataset = %s AND status = 'validated'",
               (TELEMETRY.name,))
    (until,) = db.fetchone()
    since = until - timedelta(days=1)
    client = SourceClient(simulator_url, config.source_api_key(), dataset=TELEMETRY.name)
    landed = ingest_interval(TELEMETRY, client, warehouse_url, since, until, look_back=False)
    validate_batches(warehouse_url, TELEMETRY, [batch.batch_id for batch in landed])
    return since, sum(batch.loaded for batch in landed)


def test_a_run_with_nothing_new_builds_nothing_and_changes_no_mart(built, db):
    from airflow.utils.state import TaskInstanceState

    before = mart_business_rows(db)
    run = run_dag("taza_build_kpis")

    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states[PRODUCER] == TaskInstanceState.SKIPPED, "no dbt build at all"
    assert set(node_task_states(run).values()) == {TaskInstanceState.SKIPPED}
    assert states["record_kpi_build"] == states["reports"] == TaskInstanceState.SUCCESS
    build = last_kpi_build(db)
    assert build["succeeded"] and not build["is_full"] and build["rebuilt_nodes"] == []
    assert build["reason"].startswith("nothing to build: no input of any node changed since KPI build")
    assert mart_business_rows(db) == before


def test_a_new_telemetry_day_and_a_dropped_mart_rebuild_what_reads_them_and_a_full_build_changes_nothing(
        built, db, simulator, warehouse_url, dbt_manifest):
    from airflow.utils.state import TaskInstanceState

    from taza.pipeline.kpi_refresh import built_nodes
    from taza.pipeline.dbt import KPI_DAG_BUILD_FLAGS

    manifest = json.loads(dbt_manifest.read_text())
    day, readings = land_the_telemetry_day_before_the_loaded_window(simulator.url, warehouse_url, db)
    assert readings > 0
    db.execute(f"DROP TABLE marts.{DROPPED_MART}")

    run = run_dag("taza_build_kpis")

    build = last_kpi_build(db)
    assert build["succeeded"] and not build["is_full"]
    assert "new validated batches of industry__telemetry" in build["reason"]
    assert f"missing relations of {DROPPED_MART}" in build["reason"]
    rebuilt = {manifest["nodes"][uid]["name"] for uid in build["rebuilt_nodes"]}
    assert {"stg_industry__telemetry", "fct_emission_readings", "int_activity__current_batches",
            "kpi_concept_scorecard", DROPPED_MART} <= rebuilt
    assert not {"stg_regional__planting_reports", "stg_nursery__seedling_stock", "dim_region"} & rebuilt
    assert len(build["rebuilt_nodes"]) < len(built_nodes(manifest)) / 2
    states = node_task_states(run)
    rebuilt_tasks = {node_task_id(manifest["nodes"][uid]) for uid in build["rebuilt_nodes"]}
    assert {task for task, state in states.items() if state == TaskInstanceState.SUCCESS} == rebuilt_tasks
    assert {state for task, state in states.items() if task not in rebuilt_tasks} == {TaskInstanceState.SKIPPED}
    db.execute(f"SELECT count(*) FROM marts.{DROPPED_MART}")
    assert db.fetchone()[0] > 0, "the dropped mart is back"
    db.execute("""SELECT count(*) FROM marts.fct_emission_readings
                  WHERE reading_at >= %s AND reading_at < %s + interval '1 day'""", (day, day))
    assert db.fetchone() == (readings,), "the new day's readings reached the fact"

    from taza.reports.quality_report import render_quality_report

    page = render_quality_report(warehouse_url)
    assert "new validated batches: industry__telemetry" in page and f"missing tables: {DROPPED_MART}" in page, \
        "the auditors' report shows what the build rebuilt and why"

    refreshed = mart_business_rows(db)
    run_dbt(warehouse_url, "build", *KPI_DAG_BUILD_FLAGS)
    assert mart_business_rows(db) == refreshed, "a full build leaves every mart as the refresh did"
