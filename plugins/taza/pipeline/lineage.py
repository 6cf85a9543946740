"""The OpenLineage datasets the ingest tasks read and write, and how a task reports them.

Names follow OpenLineage's dataset naming, so the events join those of any other producer
(dbt's, through Cosmos, names the same tables the same way):

* a source endpoint: namespace ``<scheme>://<host>:<port>`` of the source family's URL, name the
  endpoint's path (``/api/v1/regional/planting-reports``);
* a warehouse table: namespace ``postgres://<host>:<port>``, name ``<database>.<schema>.<table>``.

A task's callable reports its datasets with ``report`` while it runs; the operator that runs it
(taza.pipeline.lineage_operator) collects them with ``collecting`` and hands them to the
OpenLineage listener, on success and on failure alike. Outside such an operator (a unit test, a
plain call) ``report`` does nothing. The gate's datasets carry its verdict: each expectation's
success (DataQualityAssertions) and the rows it judged (DataQualityMetrics).
"""
from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from openlineage.client.event_v2 import InputDataset, OutputDataset
from openlineage.client.facet_v2 import (data_quality_assertions_dataset, data_quality_metrics_input_dataset,
                                         output_statistics_output_dataset)

if TYPE_CHECKING:
    from taza.load.raw import BatchResult
    from taza.quality.gate import BatchVerdict
    from taza.sources.schema import Dataset


@dataclass
class TaskLineage:
    inputs: list[InputDataset] = field(default_factory=list)
    outputs: list[OutputDataset] = field(default_factory=list)


_current: contextvars.ContextVar[TaskLineage | None] = contextvars.ContextVar("taza_task_lineage", default=None)


@contextlib.contextmanager
def collecting() -> Iterator[TaskLineage]:
    """Collect what the code inside reports (the running task's datasets)."""
    lineage = TaskLineage()
    token = _current.set(lineage)
    try:
        yield lineage
    finally:
        _current.reset(token)


def report(inputs: Iterable[InputDataset], outputs: Iterable[OutputDataset]) -> None:
    """The running task's datasets; a later report replaces an earlier one (e.g. once with
    statistics, after a first report that names the datasets should the work fail)."""
    lineage = _current.get()
    if lineage is not None:
        lineage.inputs, lineage.outputs = list(inputs), list(outputs)


def task_run_id(context: dict) -> str:
    """The OpenLineage runId of the running task's events (the provider derives it from the task
    instance: DAG, task, try, logical date), so a batch can name the events that landed or judged it."""
    from airflow.providers.openlineage.plugins.macros import lineage_run_id

    return lineage_run_id(context["ti"])


def source_endpoint(base_url: str, path: str) -> InputDataset:
    """A source API endpoint: the family's base URL's scheme, host and port; its path + the endpoint's."""
    parts = urlsplit(base_url)
    port = parts.port or {"http": 80, "https": 443}[parts.scheme]
    return InputDataset(namespace=f"{parts.scheme}://{parts.hostname}:{port}",
                        name=parts.path.rstrip("/") + path)


def warehouse_namespace(warehouse_url: str) -> str:
    """``postgres://host:port`` of a warehouse URL (never its credentials)."""
    parts = urlsplit(warehouse_url)
    return f"postgres://{parts.hostname or '127.0.0.1'}:{parts.port or 5432}"


def warehouse_table_name(warehouse_url: str, table: str) -> str:
    """``<database>.<schema>.<table>`` of a ``schema.table`` in the warehouse."""
    return f"{urlsplit(warehouse_url).path.lstrip('/')}.{table}"


def _output(warehouse_url: str, table: str, rows: int | None = None) -> OutputDataset:
    facets = {} if rows is None else {
        "outputStatistics": output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet(rowCount=rows)}
    return OutputDataset(namespace=warehouse_namespace(warehouse_url),
                         name=warehouse_table_name(warehouse_url, table), outputFacets=facets)


def landing(dataset: Dataset, source_base_url: str, warehouse_url: str,
            results: list[BatchResult] | None = None) -> tuple[list[InputDataset], list[OutputDataset]]:
    """A land task: the source endpoint -> raw (rows loaded) and quarantine (records that did not fit);
    without ``results`` (before landing) no row counts."""
    loaded = quarantined = None
    if results is not None:
        loaded, quarantined = sum(r.loaded for r in results), sum(r.quarantined for r in results)
    return ([source_endpoint(source_base_url, dataset.path)],
            [_output(warehouse_url, dataset.raw_table, loaded),
             _output(warehouse_url, dataset.quarantine_table, quarantined)])


def _assertions(verdicts: list[BatchVerdict]) -> list[data_quality_assertions_dataset.Assertion]:
    """One assertion per expectation of the suite, failed if it failed on any batch of the run."""
    merged: dict[tuple, dict] = {}
    for verdict in verdicts:
        for outcome in verdict.outcomes:
            entry = merged.setdefault((outcome.label, outcome.column), {
                "severity": outcome.severity, "type": outcome.expectation_type, "success": True, "failed": []})
            if not outcome.success:
                entry["success"] = False
                entry["failed"].append(f"{verdict.interval or verdict.batch_id}: {outcome.observed}")
    return [data_quality_assertions_dataset.Assertion(
        assertion=label, column=column, success=entry["success"], severity=entry["severity"],
        name=entry["type"], actual="; ".join(entry["failed"])[:1000] or None)
        for (label, column), entry in merged.items()]


def gate(dataset: Dataset, warehouse_url: str,
         verdicts: list[BatchVerdict] | None = None) -> tuple[list[InputDataset], list[OutputDataset]]:
    """A validate task: raw -> quarantine (rows failing a row check). With ``verdicts``, raw carries each
    expectation's success and the rows judged, quarantine the rows moved there."""
    raw = InputDataset(namespace=warehouse_namespace(warehouse_url),
                       name=warehouse_table_name(warehouse_url, dataset.raw_table))
    if verdicts is None:
        return [raw], [_output(warehouse_url, dataset.quarantine_table)]
    judged = [v for v in verdicts if not v.superseded_by]
    raw.inputFacets = {
        "dataQualityAssertions": data_quality_assertions_dataset.DataQualityAssertionsDatasetFacet(
            assertions=_assertions(judged)),
        "dataQualityMetrics": data_quality_metrics_input_dataset.DataQualityMetricsInputDatasetFacet(
            rowCount=sum(v.rows for v in judged), columnMetrics={})}
    return [raw], [_output(warehouse_url, dataset.quarantine_table, sum(v.quarantined for v in judged))]
