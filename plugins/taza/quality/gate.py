"""Validate landed batches with Great Expectations, in the database, and gate on the result.

GX runs against a query asset restricted to one batch, so every check is pushed down as
SQL; nothing is pulled into pandas. A batch that fails a critical expectation is marked
'rejected' (staging keeps using the previous validated batch of its interval) and the
task fails with a message naming the batch and the failed checks.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from taza.quality.suites import load_suite_document
from taza.sources.schema import Dataset
from taza.warehouse.connection import connect

log = logging.getLogger(__name__)


class ValidationFailed(RuntimeError):
    """At least one batch failed a critical expectation and was rejected."""


@dataclass
class BatchVerdict:
    batch_id: str
    passed: bool
    failures: list[dict] = field(default_factory=list)  # {type, column, severity, observed}

    @property
    def critical_failures(self) -> list[dict]:
        return [f for f in self.failures if f["severity"] == "critical"]


def _describe(result) -> dict:
    config = result.expectation_config
    observed = result.result.get("observed_value", result.result.get("unexpected_count"))
    return {"type": config.type, "column": config.kwargs.get("column"),
            "severity": str(getattr(config.severity, "value", config.severity)),
            "observed": observed, "sample": result.result.get("partial_unexpected_list", [])[:5]}


def validate_batches(warehouse_url: str, dataset: Dataset, batch_ids: list[str]) -> list[BatchVerdict]:
    """Run the dataset's suite on each batch; mark each validated or rejected."""
    import great_expectations as gx  # slow import: only when a gate actually runs

    document = load_suite_document(dataset.name)
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    suite = context.suites.add(gx.ExpectationSuite(name=document["name"],
                                                   expectations=document["expectations"]))
    source = context.data_sources.add_postgres(
        name="warehouse", connection_string=warehouse_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    verdicts = []
    for batch_id in batch_ids:
        asset = source.add_query_asset(
            name=f"batch_{batch_id}",
            query=f"SELECT * FROM {dataset.raw_table} WHERE _batch_id = '{batch_id}'")
        batch = asset.add_batch_definition_whole_table("batch").get_batch()
        outcome = batch.validate(suite)
        failures = [_describe(r) for r in outcome.results if not r.success]
        verdict = BatchVerdict(batch_id, passed=True, failures=failures)
        verdict.passed = not verdict.critical_failures
        _record_verdict(warehouse_url, verdict)
        verdicts.append(verdict)
    rejected = [v for v in verdicts if not v.passed]
    for verdict in verdicts:
        for failure in verdict.failures:
            log.warning("%s batch %s: %s %s on %s (observed %s)", dataset.name, verdict.batch_id,
                        failure["severity"], failure["type"], failure["column"], failure["observed"])
    if rejected:
        lines = [f"batch {v.batch_id}: " + "; ".join(
            f"{f['type']}({f['column'] or 'table'}) observed {f['observed']}, sample {f['sample']}"
            for f in v.critical_failures) for v in rejected]
        raise ValidationFailed(
            f"{dataset.name}: {len(rejected)} of {len(verdicts)} batch(es) failed critical expectations "
            f"and were rejected; the marts keep using the previous validated batch of each interval. "
            f"Fix the source or the suite ({dataset.name}.json) and rerun the interval.\n" + "\n".join(lines))
    return verdicts


def _record_verdict(warehouse_url: str, verdict: BatchVerdict) -> None:
    status = "validated" if verdict.passed else "rejected"
    message = None if verdict.passed else "; ".join(
        f"{f['type']}({f['column'] or 'table'})" for f in verdict.critical_failures)
    with connect(warehouse_url) as conn, conn.cursor() as cur:
        cur.execute("""UPDATE audit.batch SET status = %s, validated_at = now(), message = %s
                       WHERE batch_id = %s AND status = 'loaded'""", (status, message, verdict.batch_id))
