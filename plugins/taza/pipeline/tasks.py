"""The callables behind the DAGs' tasks: they read Airflow's context and call the pipeline.

An ingest run covers its data interval, plus the dataset's look-back periods (records
that change after landing, see taza.pipeline.ingest); setting the run's params
``period_from`` and ``period_to`` ('YYYY-MM', inclusive) makes one run cover exactly that
span of months instead, which is how the demo loads the whole history in a single run. ``watermark_from``
('YYYY-MM') moves a watermark dataset's start no earlier than that month, so a history
run need not pull years of telemetry (about 28 M readings at scale 1).
"""
from __future__ import annotations

import logging
from datetime import datetime

from taza.load.batches import record_lineage_run
from taza.pipeline import lineage
from taza.pipeline.ingest import ingest_interval
from taza.pipeline.intervals import next_month, parse_month
from taza.quality.gate import ValidationFailed, validate_batches
from taza.quality.registry_guard import ACCEPT_PARAM
from taza.sources.connections import client_from_airflow
from taza.sources.catalogue import get_dataset
from taza.warehouse.connection import airflow_warehouse_url

log = logging.getLogger(__name__)


def explicit_span(context: dict) -> bool:
    """True when the run's params name the months to load (no look-back then)."""
    params = context.get("params") or {}
    return bool(params.get("period_from") or params.get("period_to"))


def resolve_interval(context: dict) -> tuple[datetime, datetime]:
    params = context.get("params") or {}
    if explicit_span(context):
        if not (params.get("period_from") and params.get("period_to")):
            raise ValueError("set both params period_from and period_to ('YYYY-MM'), or neither")
        start, last = parse_month(params["period_from"]), parse_month(params["period_to"])
        if last < start:
            raise ValueError(f"period_to {params['period_to']} is before period_from {params['period_from']}")
        return start, next_month(last)
    return context["data_interval_start"], context["data_interval_end"]


def dataset_interval(dataset_name: str, context: dict) -> tuple[datetime, datetime]:
    """The run's interval for one dataset: a watermark feed starts no earlier than param ``watermark_from``."""
    start, end = resolve_interval(context)
    floor = (context.get("params") or {}).get("watermark_from")
    if floor and get_dataset(dataset_name).request == "watermark":
        if parse_month(floor) >= end:
            raise ValueError(f"watermark_from {floor} is not before the end of the run's interval {end:%Y-%m-%d}")
        start = max(start, parse_month(floor))
    return start, end


def land(dataset_name: str, **context) -> list[str]:
    """Land the run's interval of a dataset; returns the new batch ids for the gate."""
    dataset = get_dataset(dataset_name)
    start, end = dataset_interval(dataset_name, context)
    client, warehouse = client_from_airflow(dataset.source, dataset.name), airflow_warehouse_url()
    lineage.report(*lineage.landing(dataset, client.base_url, warehouse))
    results = ingest_interval(dataset, client, warehouse, start, end,
                             dag_id=context["dag"].dag_id, run_id=context["run_id"],
                             look_back=not explicit_span(context))
    lineage.report(*lineage.landing(dataset, client.base_url, warehouse, results))
    batch_ids = [r.batch_id for r in results]
    record_lineage_run(warehouse, batch_ids, "land", lineage.task_run_id(context))
    return batch_ids


def validate(dataset_name: str, batch_ids: list[str], **context) -> dict:
    """The GX gate: fails the task, without retries (the data would not change), when a
    batch breaks a critical expectation. The run's param ``accept_registry_shrink`` lets a
    registry snapshot through that shrank on purpose (quality.registry_guard)."""
    from airflow.sdk.exceptions import AirflowFailException

    accept_shrink = bool((context.get("params") or {}).get(ACCEPT_PARAM))
    dataset, warehouse = get_dataset(dataset_name), airflow_warehouse_url()
    lineage.report(*lineage.gate(dataset, warehouse))
    record_lineage_run(warehouse, batch_ids, "gate", lineage.task_run_id(context))
    try:
        verdicts = validate_batches(warehouse, dataset, batch_ids, accept_shrink)
    except ValidationFailed as err:
        lineage.report(*lineage.gate(dataset, warehouse, err.verdicts))
        raise AirflowFailException(str(err)) from err
    lineage.report(*lineage.gate(dataset, warehouse, verdicts))
    return {"validated": sum(v.passed and not v.superseded_by for v in verdicts),
            "superseded_unjudged": sum(bool(v.superseded_by) for v in verdicts),
            "quarantined": sum(v.quarantined for v in verdicts),
            "failed_expectations": sum(len(v.failures) for v in verdicts)}


def data_docs(**context) -> str:
    """Render the GX Data Docs of this DAG run's gates, once, after all of them (rejected ones
    too: those are the pages people open); returns the site's index."""
    from taza.quality.gx_runner import build_data_docs

    return str(build_data_docs(since=context["dag_run"].start_date))


def plan_kpi_build(context) -> None:
    """The KPI DAG producer's ``pre_execute``: plan its build (taza.pipeline.kpi_refresh: only what
    changed since the last build that succeeded; the run's param ``full_build`` builds everything),
    record the build's start in audit.kpi_build, hand the plan to the node tasks (XCom
    ``kpi_build_plan``) and narrow the producer's `dbt build` to it. Nothing to build skips the producer."""
    import json

    from airflow.sdk.exceptions import AirflowSkipException

    from taza import config
    from taza.pipeline import kpi_refresh
    from taza.pipeline.dbt import PLAN_XCOM_KEY
    from taza.warehouse.connection import connect

    manifest = json.loads(config.DBT_MANIFEST.read_text())
    full_requested = bool((context.get("params") or {}).get("full_build"))
    with connect(airflow_warehouse_url()) as conn, conn.cursor() as cur:
        plan, counts, fingerprint = kpi_refresh.plan_from_warehouse(cur, manifest, config.DBT_PROJECT_DIR,
                                                                    full_requested=full_requested)
        build_id = kpi_refresh.record_start(cur, context["dag"].dag_id, context["run_id"], plan, counts, fingerprint)
    context["ti"].xcom_push(key=PLAN_XCOM_KEY, value={**plan.as_xcom(), "build_id": build_id})
    if not plan.rebuilt:
        raise AirflowSkipException(f"KPI build {build_id}: {plan.reason}")
    log.info("KPI build %s: %s", build_id, plan.reason)
    if not plan.full:
        context["task"].select = plan.selection(manifest)


def kpi_build_plan(context: dict, producer_task_id: str) -> dict:
    """The plan the KPI DAG's producer made for this run (``plan_kpi_build``)."""
    from taza.pipeline.dbt import PLAN_XCOM_KEY

    plan = context["ti"].xcom_pull(task_ids=producer_task_id, key=PLAN_XCOM_KEY)
    if plan is None:
        raise LookupError(f"task {producer_task_id} left no {PLAN_XCOM_KEY}: its pre_execute did not run or "
                          "failed (see its log); clear the run to build again")
    return plan


def record_kpi_build(producer_task_id: str, **context) -> int:
    """Mark this run's KPI build succeeded (every node task succeeded or was skipped as unchanged):
    the next build plans from it. Returns its build_id."""
    from taza.pipeline import kpi_refresh
    from taza.warehouse.connection import connect

    build_id = kpi_build_plan(context, producer_task_id)["build_id"]
    with connect(airflow_warehouse_url()) as conn, conn.cursor() as cur:
        kpi_refresh.record_success(cur, build_id)
    return build_id


def dbt_model_lineage(producer_task_id: str, **context) -> int:
    """One OpenLineage event per dbt model, seed and snapshot the build wrote (all of them in a full
    build), with the relations it reads (taza.pipeline.dbt_lineage); returns how many."""
    import json

    from airflow.providers.openlineage.plugins.macros import lineage_job_name, lineage_job_namespace

    from taza import config
    from taza.pipeline import dbt_lineage

    plan = kpi_build_plan(context, producer_task_id)
    parent = (lineage_job_namespace(), lineage_job_name(context["ti"]), lineage.task_run_id(context))
    events = dbt_lineage.model_events(json.loads(config.DBT_MANIFEST.read_text()), airflow_warehouse_url(),
                                      f"{context['dag'].dag_id}.dbt_model", parent,
                                      only=None if plan["full"] else set(plan["rebuilt"]))
    dbt_lineage.emit(events)
    return len(events)


def reports() -> dict[str, list[str]]:
    """Write the KPI dashboard (reports/kpi/index.html) and the auditors' data-quality report
    (reports/quality/index.html), each also in Russian and Kazakh (index.ru.html, index.kk.html);
    returns their paths."""
    from taza.reports.kpi_dashboard import write_kpi_dashboard
    from taza.reports.quality_report import write_quality_report

    url = airflow_warehouse_url()
    return {"kpi": [str(p) for p in write_kpi_dashboard(url)], "quality": [str(p) for p in write_quality_report(url)]}
