"""DAG runs for tests: one way to run a DAG in this process, on a DAG parsed afresh.

Afresh, because ``dag.test(run_conf=...)`` runs the tasks in this process and leaves the
conf in their params: a DAG object reused after a run with params would run with that
run's months again when asked for a run without params (e.g. a scheduled-style run).
"""
from __future__ import annotations

from datetime import datetime

INGEST_DAGS = ("taza_ingest_regional", "taza_ingest_nursery", "taza_ingest_industry")


def parse_dag(dag_id: str):
    """The DAG of ``dags/<dag_id>.py``, parsed now."""
    from airflow.dag_processing.dagbag import DagBag

    from taza import config

    return DagBag(dag_folder=str(config.DAGS_DIR / f"{dag_id}.py")).dags[dag_id]


def run_dag(dag_id: str, conf: dict | None = None, *, skip: str | None = None, dag=None,
            logical_date: datetime | None = None):
    """Run the DAG (or ``dag``, e.g. a partial subset) with ``dag.test``; the run must succeed.

    ``skip``: a regex of task ids marked success without running (``mark_success_pattern``)."""
    from airflow.utils.state import DagRunState

    dag = dag if dag is not None else parse_dag(dag_id)
    run = dag.test(run_conf=conf, mark_success_pattern=skip, logical_date=logical_date)
    assert run.state == DagRunState.SUCCESS, f"{dag_id} ended {run.state}"
    return run
