"""Airflow DAG taza_build_kpis: dbt staging -> marts -> KPIs, whenever any raw Asset is updated.

Cosmos's ExecutionMode.WATCHER: one task runs `dbt build` of the whole project, then one
task per model (and one per model's tests) reports that model's outcome and retries it alone
if it failed; then the static reports are written: the KPI dashboard (reports/kpi/index.html) and the
auditors' data-quality report (reports/quality/index.html), each also in Russian and Kazakh
(index.ru.html, index.kk.html).
"""
from airflow.sdk import DAG, AssetAny, task
from cosmos import DbtTaskGroup

from taza.pipeline import tasks
from taza.pipeline.dag_defaults import DEFAULT_ARGS, HISTORY_START
from taza.pipeline.dbt import (execution_config, operator_args, profile_config, project_config, render_config,
                               sensors_wait_for_the_producer)
from taza.pipeline.wiring import raw_asset
from taza.sources.catalogue import DATASETS

with DAG(
    dag_id="taza_build_kpis",
    schedule=AssetAny(*(raw_asset(d) for d in DATASETS.values())),
    start_date=HISTORY_START,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["taza", "dbt", "kpi"],
    doc_md=__doc__,
):
    dbt = DbtTaskGroup(
        group_id="dbt",
        project_config=project_config(),
        profile_config=profile_config(),
        execution_config=execution_config(),
        render_config=render_config(),
        operator_args=operator_args(),
    )
    sensors_wait_for_the_producer(dbt)
    dbt >> task(tasks.reports, task_id="reports")()
