"""Airflow DAG taza_build_kpis: dbt staging -> marts -> KPIs, whenever any raw Asset is updated.

Cosmos renders one task per dbt model that builds it and runs its tests (dbt build);
then the static reports are written: the KPI dashboard (reports/kpi/index.html) and the
auditors' data-quality report (reports/quality/index.html).
"""
from airflow.sdk import DAG, AssetAny, task
from cosmos import DbtTaskGroup

from taza.pipeline import tasks
from taza.pipeline.dag_defaults import DEFAULT_ARGS, HISTORY_START
from taza.pipeline.dbt import cosmos_task_group_kwargs
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
    dbt = DbtTaskGroup(group_id="dbt", **cosmos_task_group_kwargs())
    dbt >> task(tasks.reports, task_id="reports")()
