"""Airflow DAG taza_ingest_regional: the akimats' monthly reports, landed in raw and gated by GX.

Each dataset is one land task (HTTP -> raw.<dataset>, one batch per month) followed by
its validation gate, which publishes the raw table's Asset when the batches pass.
"""
from airflow.sdk import DAG, Asset, Param, task

from taza.pipeline import tasks
from taza.pipeline.dag_defaults import DEFAULT_ARGS, HISTORY_START, INGEST_PARAMS_DOC
from taza.sources.regional import PLANTING_REPORTS

with DAG(
    dag_id="taza_ingest_regional",
    schedule="@monthly",
    start_date=HISTORY_START,
    catchup=True,
    max_active_runs=4,
    default_args=DEFAULT_ARGS,
    tags=["taza", "ingest", "regional"],
    params={name: Param(None, type=["null", "string"], description=doc)
            for name, doc in INGEST_PARAMS_DOC.items()},
    doc_md=__doc__,
):
    for dataset in (PLANTING_REPORTS,):
        batch_ids = task(tasks.land, task_id=f"land_{dataset.entity}")(dataset.name)
        task(tasks.validate, task_id=f"validate_{dataset.entity}",
             outlets=[Asset(name=dataset.raw_table, uri=dataset.asset_uri)])(dataset.name, batch_ids)
