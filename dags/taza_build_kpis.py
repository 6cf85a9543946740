"""Airflow DAG taza_build_kpis: dbt staging -> marts -> KPIs, whenever any raw Asset is updated.

Cosmos's ExecutionMode.WATCHER: one task runs `dbt build` of what changed since the last build
that succeeded (everything on a first build, after a change of the dbt project, or with the
param full_build; taza.pipeline.kpi_refresh), then one task per model, seed and snapshot reports
that node's outcome and its tests' (skipped when the node was unchanged) and, if either
failed, retries both alone (`dbt build --select <node>`); the build is recorded as succeeded
(audit.kpi_build); one OpenLineage event per model built says which tables it read (Cosmos reports
the build as one job), and the static reports are written: the KPI dashboard
(reports/kpi/index.html) and the auditors' data-quality report (reports/quality/index.html),
each also in Russian and Kazakh (index.ru.html, index.kk.html).
"""
from airflow.sdk import DAG, AssetAny, Param, task
from cosmos import (DbtResourceType, DbtTaskGroup, ExecutionConfig, ExecutionMode, InvocationMode, LoadMode,
                    ProfileConfig, ProjectConfig, RenderConfig, TestBehavior)
from cosmos.profiles import PostgresUserPasswordProfileMapping

from taza import config
from taza.pipeline import tasks
from taza.pipeline.dag_defaults import DEFAULT_ARGS, HISTORY_START, task_timeout
from taza.pipeline.dbt import (DBT_PROFILE, DBT_TARGET, KPI_DAG_BUILD_FLAGS, PRODUCER_TASK_ID,
                               sensors_wait_for_the_producer, unchanged_nodes_let_their_dependents_run)
from taza.pipeline.dbt_node_task import node_build_task, producer_judges_each_node_by_its_own_tests
from taza.pipeline.wiring import raw_asset
from taza.sources.catalogue import DATASETS
from taza.warehouse.connection import WAREHOUSE_CONN_ID

# The dbt project, read from its manifest so that parsing the DAG never runs dbt.
project_config = ProjectConfig(dbt_project_path=config.DBT_PROJECT_DIR, manifest_path=config.DBT_MANIFEST)

# dbt's profile, from the Airflow connection taza_warehouse.
profile_config = ProfileConfig(
    profile_name=DBT_PROFILE, target_name=DBT_TARGET,
    profile_mapping=PostgresUserPasswordProfileMapping(
        conn_id=WAREHOUSE_CONN_ID, profile_args={"schema": "staging", "threads": 2}))

# One task per model, seed and snapshot, reporting the node and its tests (the producer runs the
# tests after each node and reports them per node: AFTER_EACH).
render_config = RenderConfig(
    load_method=LoadMode.DBT_MANIFEST, test_behavior=TestBehavior.AFTER_EACH,
    node_converters={kind: node_build_task for kind in (DbtResourceType.MODEL, DbtResourceType.SEED,
                                                        DbtResourceType.SNAPSHOT)},
    node_conversion_by_task_group=True)

# One `dbt build` of the whole project (the producer task), one lightweight sensor per node
# that reports that node's outcome and its tests' from the producer's events. The producer runs dbt in its
# own process: in-process, every one of its ~2,000 dbt events waited on the task's XCom
# write (producer 92 s -> 55 s on the demo warehouse, session 9). The producer is not
# retried (Cosmos skips a producer's second try rather than build twice); a node's sensor
# is, and its retry runs `dbt build` of that node alone (the node, then its tests), in-process.
# Before its build the producer plans it (tasks.plan_kpi_build): which nodes changed.
execution_config = ExecutionConfig(
    execution_mode=ExecutionMode.WATCHER, invocation_mode=InvocationMode.DBT_RUNNER,
    setup_operator_args={"retries": 0, "invocation_mode": InvocationMode.SUBPROCESS,
                         "dbt_executable_path": str(config.DBT_EXECUTABLE), "pre_execute": tasks.plan_kpi_build})

# Every task of the group: no `dbt deps`, no dbt unit tests nor debug log file (KPI_DAG_BUILD_FLAGS),
# and the shared bound on its time (the producer's whole `dbt build`, a model's retry, a sensor's wait).
operator_args = {"install_deps": False, "dbt_cmd_flags": list(KPI_DAG_BUILD_FLAGS),
                 "execution_timeout": task_timeout(), "timeout": task_timeout()}

with DAG(
    dag_id="taza_build_kpis",
    schedule=AssetAny(*(raw_asset(d) for d in DATASETS.values())),
    start_date=HISTORY_START,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={"full_build": Param(False, type="boolean",
                                description="Build every node and run every test, not only what changed since "
                                            "the last build that succeeded (e.g. after a fix made by hand in "
                                            "the warehouse).")},
    tags=["taza", "dbt", "kpi"],
    doc_md=__doc__,
):
    dbt = DbtTaskGroup(
        group_id="dbt",
        project_config=project_config,
        profile_config=profile_config,
        render_config=render_config,
        execution_config=execution_config,
        operator_args=operator_args,
    )
    sensors_wait_for_the_producer(dbt)
    unchanged_nodes_let_their_dependents_run(dbt)
    producer_judges_each_node_by_its_own_tests(dbt, config.DBT_MANIFEST)
    producer = f"{dbt.group_id}.{PRODUCER_TASK_ID}"
    dbt >> [task(tasks.record_kpi_build, task_id="record_kpi_build", trigger_rule="none_failed")(producer),
            task(tasks.dbt_model_lineage, task_id="dbt_model_lineage", trigger_rule="none_failed")(producer),
            task(tasks.reports, task_id="reports", trigger_rule="none_failed")()]
