"""Airflow DAG taza_ingest_regional: the akimats' monthly reports, landed in raw and gated by GX.

Each dataset is one land task (HTTP -> raw.<dataset>, one batch per month or year)
followed by its validation gate, which publishes the raw table's Asset when it passes.
"""
from airflow.sdk import DAG

from taza.pipeline.dag_defaults import DEFAULT_ARGS, HISTORY_START
from taza.pipeline.wiring import add_ingest_tasks, ingest_params, interval_schedule
from taza.sources import regional

with DAG(
    dag_id="taza_ingest_regional",
    schedule=interval_schedule("@monthly"),
    start_date=HISTORY_START,
    catchup=True,
    max_active_runs=4,
    default_args=DEFAULT_ARGS,
    tags=["taza", "ingest", "regional"],
    params=ingest_params(),
    doc_md=__doc__,
):
    add_ingest_tasks(regional.DATASETS)
