"""Airflow DAG taza_ingest_nursery: nursery registry, seedling stock and survival inventories.

Runs monthly: the registry lands as a snapshot each month, stock and inventories with
the run that holds their year's end. Each dataset is a land task followed by its GX
gate, which publishes the raw table's Asset.
"""
from airflow.sdk import DAG

from taza.pipeline.dag_defaults import DEFAULT_ARGS, HISTORY_START
from taza.pipeline.wiring import add_ingest_tasks, ingest_params, interval_schedule
from taza.sources import nursery

with DAG(
    dag_id="taza_ingest_nursery",
    schedule=interval_schedule("@monthly"),
    start_date=HISTORY_START,
    catchup=True,
    max_active_runs=4,
    default_args=DEFAULT_ARGS,
    tags=["taza", "ingest", "nursery"],
    params=ingest_params(),
    doc_md=__doc__,
):
    add_ingest_tasks(nursery.DATASETS)
