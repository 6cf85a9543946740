"""dbt for this project: its environment, and the order of the KPI DAG's watcher tasks."""
from __future__ import annotations

from typing import TYPE_CHECKING

from taza import config
from taza.pipeline.dag_defaults import task_timeout
from taza.warehouse.connection import url_parts

if TYPE_CHECKING:
    from cosmos import DbtTaskGroup

PRODUCER_TASK_ID = "dbt_producer_watcher"
# The producer's XCom with the run's build plan: which nodes it builds and why
# (taza.pipeline.kpi_refresh, made by taza.pipeline.tasks.plan_kpi_build).
PLAN_XCOM_KEY = "kpi_build_plan"
# dbt_project/profiles.yml's profile and target, which the KPI DAG's dbt tasks name too.
DBT_PROFILE, DBT_TARGET = "taza", "warehouse"
# The KPI DAG's `dbt build`s leave out dbt's unit tests, as dbt recommends for production: their
# inputs are fixed rows in the project, so they judge the SQL, not the day's data, and the
# suite runs every one of them on each change (tests/integration/test_concept_scorecard.py).
# In the DAG they were 31 of its ~500 nodes and a quarter of its build (about 7 s of 30).
# Nor do they write dbt's debug log file: Cosmos runs dbt in a temporary copy of the project
# and deletes it, log included, afterwards (the task log keeps dbt's events); writing it took
# 1-2 s of a 23 s build here.
KPI_DAG_BUILD_FLAGS = ("--exclude-resource-type", "unit_test", "--log-level-file", "none")


def dbt_environment(warehouse_url: str) -> dict[str, str]:
    """The variables dbt_project/profiles.yml reads, and the profile and target named as the KPI
    DAG's dbt tasks name them (Cosmos passes --profile and --target): dbt reparses the whole
    project (about 6 s) unless they, and the connection, equal its partial-parse file's.
    Also where dbt writes its artifacts and log (``config.DBT_TARGET_DIR``); not for the KPI
    DAG's tasks, which Cosmos runs in a copy of the project and reads back from there."""
    parts = url_parts(warehouse_url)
    return {"DBT_PROFILE": DBT_PROFILE, "DBT_TARGET": DBT_TARGET,
            "DBT_TARGET_PATH": str(config.DBT_TARGET_DIR), "DBT_LOG_PATH": str(config.DBT_LOG_DIR),
            "TAZA_WAREHOUSE_HOST": parts["host"], "TAZA_WAREHOUSE_PORT": parts["port"],
            "TAZA_WAREHOUSE_USER": parts["user"], "TAZA_WAREHOUSE_PASSWORD": parts["password"],
            "TAZA_WAREHOUSE_DB": parts["database"]}


def sensors_wait_for_the_producer(group: DbtTaskGroup) -> None:
    """Put the producer upstream of the sensors of the group's first models; let the sensors judge.

    Cosmos leaves those sensors free to start beside the producer and poll its results,
    which a real scheduler runs in parallel. ``airflow dags test`` and ``dag.test()`` run
    one task at a time in an arbitrary order of the ready ones: a sensor that starts
    before the producer polls (its trigger run in-line) for results that can only come
    once it ends, and the run hangs until the sensor's timeout. With the producer first,
    every sensor finds its model's result at once.

    The producer fails when any model or test failed; the sensors, not the producer, then
    say which and retry them. So the first sensors run once the producer is done whatever
    its state (a model dbt skipped after an upstream failure counts as failed, so it is
    retried too), and the producer's gate task lets the group end as its sensors end.
    """
    from airflow.task.trigger_rule import TriggerRule

    producer = group.dag.task_dict[f"{group.group_id}.{PRODUCER_TASK_ID}"]
    producer_done = group.dag.task_dict[f"{producer.task_id}_done"]
    producer_done.trigger_rule = TriggerRule.ALL_DONE
    producer_done.execution_timeout = task_timeout()
    members = {t.task_id for t in group.dag.tasks if t.task_id.startswith(f"{group.group_id}.")}
    for task in [group.dag.task_dict[task_id] for task_id in sorted(members)]:
        if task in (producer, producer_done) or task.upstream_task_ids & members:
            continue
        producer >> task
        task.trigger_rule = TriggerRule.ALL_DONE


def unchanged_nodes_let_their_dependents_run(group: DbtTaskGroup) -> None:
    """A node task skipped as unchanged (a refresh builds only what changed, taza.pipeline.kpi_refresh)
    does not skip its dependents: every node task after the first ones waits for its upstream tasks
    to succeed or be skipped (the first ones run whatever the producer's state)."""
    from airflow.task.trigger_rule import TriggerRule

    for task in group.dag.tasks:
        if task.task_id.startswith(f"{group.group_id}.") and task.trigger_rule == TriggerRule.ALL_SUCCESS:
            task.trigger_rule = TriggerRule.NONE_FAILED
