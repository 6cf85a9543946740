"""Every DAG file imports, is acyclic, and carries owner, retries, an execution timeout and tags."""
from __future__ import annotations

from pathlib import Path

import pytest

from taza import config
from taza.pipeline.dbt import PRODUCER_TASK_ID

pytestmark = pytest.mark.dags

DAG_FILES = sorted(config.DAGS_DIR.glob("*.py"))


def test_every_dag_file_imports(dagbag):
    assert dagbag.import_errors == {}
    assert len(dagbag.dags) == len(DAG_FILES)


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.stem)
def test_file_is_one_dag_named_like_the_file(dagbag, path):
    text = path.read_text().lower()
    assert "airflow" in text and "dag" in text, "Airflow's safe mode would skip this file"
    dags = [d for d in dagbag.dags.values() if d.fileloc == str(path)]
    assert [d.dag_id for d in dags] == [path.stem]


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.stem)
def test_dag_is_acyclic_with_owner_retries_timeout_and_tags(dagbag, path):
    from airflow.utils.dag_cycle_tester import check_cycle

    from taza.pipeline.dag_defaults import task_timeout

    dag = dagbag.dags[path.stem]
    check_cycle(dag)
    assert dag.tags and "taza" in dag.tags
    assert dag.max_active_runs >= 1
    for task in dag.tasks:
        assert task.owner and task.owner != "airflow", f"{task.task_id} has no owner"
        if task.task_id == f"dbt.{PRODUCER_TASK_ID}":
            continue  # Cosmos never builds twice: the watcher's producer is not retried, each model's task is
        assert task.retries >= 1, f"{task.task_id} has no retries"
        assert task.execution_timeout == task_timeout(), f"{task.task_id} has no execution_timeout"


def test_ingest_dag_publishes_and_kpi_dag_consumes_the_raw_asset(dagbag):
    from taza.sources.regional import PLANTING_REPORTS

    ingest = dagbag.dags["taza_ingest_regional"]
    outlets = {o.uri for t in ingest.tasks for o in t.outlets}
    assert PLANTING_REPORTS.asset_uri in outlets
    kpis = dagbag.dags["taza_build_kpis"]
    assert PLANTING_REPORTS.asset_uri in {a.uri for a in kpis.timetable.asset_condition.objects}
    assert any(t.task_id.startswith("dbt.kpi_trees_planted") for t in kpis.tasks)


@pytest.mark.parametrize("dag_id, length", [("taza_ingest_regional", 31), ("taza_ingest_nursery", 31),
                                            ("taza_ingest_industry", 1)])
def test_scheduled_ingest_runs_cover_a_data_interval_from_the_history_start(dagbag, dag_id, length):
    """What the scheduler will do: the first catch-up run spans the first period, not a point in time."""
    from datetime import timedelta

    from airflow.serialization.serialized_objects import DagSerialization
    from airflow.timetables.base import TimeRestriction

    from taza.pipeline.dag_defaults import HISTORY_START

    dag = dagbag.dags[dag_id]
    scheduled = DagSerialization.from_dict(DagSerialization.to_dict(dag))
    first = scheduled.timetable.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(earliest=HISTORY_START, latest=None, catchup=True))
    assert dag.catchup
    assert first.data_interval.start == HISTORY_START
    assert first.data_interval.end - first.data_interval.start == timedelta(days=length)


def test_kpi_dag_builds_once_and_shows_every_model_after_the_build(dagbag, dbt_manifest):
    """One `dbt build` task; one task per model, seed and snapshot reporting the node and its own
    tests, all of them after the build (so `dags test`, one task at a time, cannot start a watcher
    first and hang), and every task of the group bounded in time; every test of a built node is
    judged with one node at least."""
    import json

    from cosmos.constants import InvocationMode
    from cosmos.operators._watcher.base import BaseConsumerSensor
    from cosmos.operators.watcher import DbtProducerWatcherOperator

    from taza.pipeline.dbt_node_task import DbtNodeBuildSensor, own_tests_of_each_node

    dag = dagbag.dags["taza_build_kpis"]
    group = [t for t in dag.tasks if t.task_id.startswith("dbt.")]
    producers = [t for t in group if isinstance(t, DbtProducerWatcherOperator)]
    assert len(producers) == 1 and producers[0].base_cmd == ["build"]
    producer = producers[0]
    after_build = producer.get_flat_relative_ids(upstream=False)
    sensors = [t for t in group if isinstance(t, BaseConsumerSensor)]
    assert sensors and all(isinstance(t, DbtNodeBuildSensor) for t in sensors)
    assert {t.task_id for t in sensors} <= after_build
    # the build in its own process (its events would wait on XCom writes in-process), a
    # sensor's retry of one node in-process
    assert producer.invocation_mode == InvocationMode.SUBPROCESS and Path(producer.dbt_executable_path).is_file()
    assert {t.invocation_mode for t in sensors} == {InvocationMode.DBT_RUNNER}
    assert all(t.execution_timeout for t in group), [t.task_id for t in group if not t.execution_timeout]

    manifest = json.loads(dbt_manifest.read_text())
    nodes = manifest["nodes"]
    built = {uid for uid, n in nodes.items() if n["resource_type"] in ("model", "seed", "snapshot")}
    assert sorted(t.model_unique_id for t in sensors) == sorted(built)
    assert producer.tests_per_model == own_tests_of_each_node(manifest)
    judged = {test for tests in producer.tests_per_model.values() for test in tests}
    assert judged == {uid for uid, n in nodes.items()
                      if n["resource_type"] == "test" and set(n["depends_on"]["nodes"]) & built}


def test_kpi_dag_plans_its_build_and_a_node_skipped_as_unchanged_holds_back_no_task(dagbag):
    """The producer plans the build before it runs it (taza.pipeline.kpi_refresh); a node task
    waits for its upstream tasks to succeed or be skipped (a refresh skips the unchanged nodes),
    the first ones for the producer to end; the build is recorded, and lineage and reports written,
    once no node task failed; the param full_build (off by default) builds everything."""
    from airflow.task.trigger_rule import TriggerRule

    from taza.pipeline import tasks

    dag = dagbag.dags["taza_build_kpis"]
    producer = dag.task_dict["dbt.dbt_producer_watcher"]
    assert producer._pre_execute_hook is tasks.plan_kpi_build
    nodes = [t for t in dag.tasks if t.task_id.startswith("dbt.") and t.task_id.endswith("_build")]
    assert {t.trigger_rule for t in nodes if producer.task_id in t.upstream_task_ids} == {TriggerRule.ALL_DONE}
    assert {t.trigger_rule for t in nodes if producer.task_id not in t.upstream_task_ids} == {TriggerRule.NONE_FAILED}
    after = {task_id: dag.task_dict[task_id] for task_id in ("record_kpi_build", "dbt_model_lineage", "reports")}
    assert {t.trigger_rule for t in after.values()} == {TriggerRule.NONE_FAILED}
    assert all({t.task_id for t in nodes} <= task.get_flat_relative_ids(upstream=True) for task in after.values())
    assert dag.params["full_build"] is False


@pytest.mark.parametrize("dag_id", ["taza_ingest_regional", "taza_ingest_nursery", "taza_ingest_industry"])
def test_ingest_dag_renders_data_docs_once_after_every_gate_without_deciding_the_run(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    docs = dag.get_task("data_docs")
    gates = {t.task_id for t in dag.tasks if t.task_id.startswith("validate_")}
    assert gates and set(docs.upstream_task_ids) == gates
    assert docs.is_teardown, "a teardown: a rejected batch still fails the run"
    assert not [t for t in dag.tasks if t.task_id.startswith("data_docs") and t is not docs]


def test_dbt_names_fit_a_postgres_identifier(dbt_manifest):
    """dbt turns a model's or unit test's name into a relation name; PostgreSQL cuts identifiers at
    63 bytes, and dbt refuses a longer unit-test name at run time, failing the whole KPI build."""
    import json

    manifest = json.loads(dbt_manifest.read_text())
    names = [n["name"] for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed", "snapshot")]
    names += [t["name"] for t in manifest["unit_tests"].values()]
    assert [name for name in names if len(name.encode()) > 63] == []
