"""Every DAG file imports, is acyclic, and carries owner, retries and tags."""
from __future__ import annotations

import pytest

from taza import config

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
def test_dag_is_acyclic_with_owner_retries_and_tags(dagbag, path):
    from airflow.utils.dag_cycle_tester import check_cycle

    dag = dagbag.dags[path.stem]
    check_cycle(dag)
    assert dag.tags and "taza" in dag.tags
    assert dag.max_active_runs >= 1
    for task in dag.tasks:
        assert task.owner and task.owner != "airflow", f"{task.task_id} has no owner"
        assert task.retries >= 1, f"{task.task_id} has no retries"


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


@pytest.mark.parametrize("dag_id", ["taza_ingest_regional", "taza_ingest_nursery", "taza_ingest_industry"])
def test_ingest_dag_renders_data_docs_once_after_every_gate_without_deciding_the_run(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    docs = dag.get_task("data_docs")
    gates = {t.task_id for t in dag.tasks if t.task_id.startswith("validate_")}
    assert gates and set(docs.upstream_task_ids) == gates
    assert docs.is_teardown, "a teardown: a rejected batch still fails the run"
    assert not [t for t in dag.tasks if t.task_id.startswith("data_docs") and t is not docs]
