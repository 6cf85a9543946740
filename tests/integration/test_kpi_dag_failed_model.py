"""The KPI DAG when a model fails: its task fails at once, its retry builds it and runs its tests, and
its dependents' retries build them after it.

The model stg_regional__annual_indicators fails because its raw table is missing; the data
engineer's fix (the table put back) happens when its task goes up for retry. Everything
runs for real under ``dag.test()``, one task at a time, as ``airflow dags test`` does.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = pytest.mark.integration

MODEL = "stg_regional__annual_indicators"
RAW_TABLE = "raw.regional__annual_indicators"
HIDDEN = "regional__annual_indicators_hidden"


@pytest.fixture()
def kpi_dag_with_a_failing_model(dagbag, staging_views, db):
    """The KPI DAG with MODEL's raw table hidden until MODEL's task goes up for retry; retries at once."""
    dag = dagbag.dags["taza_build_kpis"]
    model_task = dag.task_dict[f"dbt.{MODEL}_build"]
    saved = {t.task_id: t.retry_delay for t in dag.tasks}
    saved_callback = model_task.on_retry_callback

    def put_the_table_back(context):
        db.execute(f"ALTER TABLE IF EXISTS raw.{HIDDEN} RENAME TO {RAW_TABLE.split('.')[1]}")

    db.execute(f"ALTER TABLE {RAW_TABLE} RENAME TO {HIDDEN}")
    for task in dag.tasks:
        task.retry_delay = timedelta(0)
    model_task.on_retry_callback = [put_the_table_back]
    try:
        yield dag
    finally:
        put_the_table_back(None)
        model_task.on_retry_callback = saved_callback
        for task in dag.tasks:
            task.retry_delay = saved[task.task_id]


def test_a_failed_model_fails_its_task_and_its_retry_builds_it_then_its_tests(kpi_dag_with_a_failing_model, db,
                                                                              dbt_manifest, caplog):
    """The model's task and each of its dependents' fail their first try (the build skipped them) and
    their retries build them with their tests, in order; every other node passes its first try; the
    run ends a success."""
    import json

    from airflow.utils.state import DagRunState, TaskInstanceState

    from taza.pipeline.dbt_node_task import own_tests_of_each_node

    manifest = json.loads(dbt_manifest.read_text())
    model_uid = f"model.taza.{MODEL}"
    dependents = _descendants(manifest["child_map"], model_uid)
    rebuilt = {f"dbt.{manifest['nodes'][uid]['name']}_build" for uid in dependents | {model_uid}
               if uid in manifest["nodes"]
               and manifest["nodes"][uid]["resource_type"] in ("model", "seed", "snapshot")}

    run = kpi_dag_with_a_failing_model.test(run_conf={"full_build": True})  # every node, whatever changed
    tries = {ti.task_id: (ti.state, ti.try_number) for ti in run.get_task_instances()}

    assert tries.pop("dbt.dbt_producer_watcher") == (TaskInstanceState.FAILED, 1), "the one dbt build saw the failure"
    assert {task_id for task_id, tried in tries.items() if tried == (TaskInstanceState.SUCCESS, 2)} == rebuilt
    assert {tried for task_id, tried in tries.items() if task_id not in rebuilt} == {(TaskInstanceState.SUCCESS, 1)}
    assert run.state == DagRunState.SUCCESS
    db.execute("SELECT count(*) FROM information_schema.views WHERE table_schema = 'staging' AND table_name = %s",
               (MODEL,))
    assert db.fetchone() == (1,)
    # The model's retry was one `dbt build` of the model and each of its own tests.
    own_tests = {uid.split(".")[2] for uid in own_tests_of_each_node(manifest)[model_uid]}
    retries = [r.getMessage() for r in caplog.records if "dbtRunner with" in r.getMessage() and MODEL in r.getMessage()]
    assert len(retries) == 1 and "'build', '--select'" in retries[0]
    assert own_tests and all(f"'{test}'" in retries[0] for test in own_tests)


def _descendants(child_map: dict[str, list[str]], uid: str) -> set[str]:
    children = set(child_map.get(uid, []))
    return children.union(*(_descendants(child_map, child) for child in children))
