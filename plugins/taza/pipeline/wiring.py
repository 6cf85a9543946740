"""Task wiring the ingest DAGs share, so each DAG file only names its family and schedule."""
from __future__ import annotations

from collections.abc import Iterable

from taza.pipeline import tasks
from taza.pipeline.dag_defaults import INGEST_PARAMS_DOC
from taza.sources.schema import Dataset


def interval_schedule(cron: str):
    """A cron schedule whose runs span a data interval (the previous tick to this one).

    Airflow 3 turns a plain cron string into a CronTriggerTimetable, whose runs have an
    empty data interval; the ingest tasks land the periods that end inside the interval,
    so they need the interval form whatever ``create_cron_data_intervals`` says.
    """
    from airflow.sdk import CronDataIntervalTimetable

    return CronDataIntervalTimetable(cron, timezone="UTC")


def raw_asset(dataset: Dataset):
    from airflow.sdk import Asset

    return Asset(name=dataset.raw_table, uri=dataset.asset_uri)


def ingest_params() -> dict:
    from airflow.sdk import Param

    return {name: Param(None, type=["null", "string"], description=doc) for name, doc in INGEST_PARAMS_DOC.items()}


def add_ingest_tasks(datasets: Iterable[Dataset]) -> None:
    """Inside ``with DAG(...)``: per dataset a land task, then its GX gate, which publishes the raw
    Asset; after every gate, passed or not, one teardown task renders the run's Data Docs (a
    teardown does not count in the run's state, so a rejected batch still fails the run).
    The land and gate tasks report their datasets to OpenLineage (taza.pipeline.lineage)."""
    from airflow.sdk import task

    from taza.pipeline.lineage_operator import LineagePythonOperator

    gates = []
    for dataset in datasets:
        land = LineagePythonOperator(task_id=f"land_{dataset.entity}", python_callable=tasks.land,
                                     op_args=[dataset.name])
        gates.append(LineagePythonOperator(task_id=f"validate_{dataset.entity}", python_callable=tasks.validate,
                                           op_args=[dataset.name, land.output], outlets=[raw_asset(dataset)]))
    gates >> task(tasks.data_docs, task_id="data_docs")().as_teardown()
