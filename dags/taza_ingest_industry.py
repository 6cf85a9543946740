"""Airflow DAG taza_ingest_industry: enterprise registry, commitments, plantings, emissions and AMS telemetry.

Runs daily: the registry lands as a snapshot, monthly and annual datasets land with the
run that holds their period's end, and the telemetry feed is pulled for the run's data
interval (since its start, until its end). Each dataset is a land task followed by its GX gate, which
publishes the raw table's Asset.
"""
from airflow.sdk import DAG

from taza.pipeline.dag_defaults import DEFAULT_ARGS, HISTORY_START
from taza.pipeline.wiring import add_ingest_tasks, ingest_params, interval_schedule
from taza.sources import industry

with DAG(
    dag_id="taza_ingest_industry",
    schedule=interval_schedule("@daily"),
    start_date=HISTORY_START,
    catchup=True,
    max_active_runs=4,
    default_args=DEFAULT_ARGS,
    tags=["taza", "ingest", "industry"],
    params=ingest_params(),
    doc_md=__doc__,
):
    add_ingest_tasks(industry.DATASETS)
