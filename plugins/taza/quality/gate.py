"""Validate landed batches with Great Expectations, in the database, and gate on the result.

GX runs against a query asset restricted to one batch, so every check is pushed down as
SQL; nothing is pulled into pandas. Per batch, in one transaction:

* rows failing a critical row-scope expectation go to quarantine (taza.quality.quarantine);
* every expectation's result is stored in audit.validation_result, the run in
  audit.validation_run (taza.quality.results);
* the batch becomes 'validated', or 'rejected' when a critical batch-scope expectation
  failed or a row-scope one failed on more than the suite's quarantine tolerance.
  Staging then keeps using the previous validated batch of the interval, and the task
  fails with a message naming the batch and what to do. Warnings never block.

The Data Docs site (reports/data-docs/) is built once per DAG run, after its gates
(taza.quality.gx_runner.build_data_docs).
"""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from psycopg2 import sql

from taza.load.batches import superseding_batch
from taza.quality.gx_runner import SuiteRunner, batch_query, gx_version
from taza.quality.quarantine import failing_rows, quarantine, substitute_batch
from taza.quality.registry_guard import HOW_TO_ACCEPT, REGISTRY_SHRINK, registry_shrink_outcome
from taza.quality.results import ExpectationOutcome, record_run
from taza.quality.suites import (UNEXPECTED_ROWS, column_label, expectation_label, load_suite_document,
                                 quarantine_tolerance, scope)
from taza.sources.schema import Dataset
from taza.warehouse.connection import connect
from taza.warehouse.locks import lock_interval, lock_waits

log = logging.getLogger(__name__)


class ValidationFailed(RuntimeError):
    """At least one batch failed a critical expectation and was rejected; ``verdicts`` are every batch's."""

    def __init__(self, message: str, verdicts: list[BatchVerdict]):
        super().__init__(message)
        self.verdicts = verdicts


@dataclass
class BatchVerdict:
    batch_id: str
    passed: bool
    interval: str = ""
    rows: int = 0
    quarantined: int = 0
    failures: list[dict] = field(default_factory=list)  # {type, column, label, severity, scope, observed, sample}
    blocking: list[dict] = field(default_factory=list)  # the failures that rejected the batch
    superseded_by: str | None = None  # set when a later landing of the interval retired the batch unjudged
    outcomes: list[ExpectationOutcome] = field(default_factory=list)  # every expectation's, passed or not

    @property
    def critical_failures(self) -> list[dict]:
        return [f for f in self.failures if f["severity"] == "critical"]


def _jsonable(value):
    return json.loads(json.dumps(value, default=str)) if value is not None else None


def _outcome(position: int, expectation: dict, result, rows: int) -> ExpectationOutcome:
    details = result.result or {}
    unexpected = details.get("unexpected_count")
    if expectation["type"] == UNEXPECTED_ROWS:
        unexpected = details.get("observed_value")
    percent = details.get("unexpected_percent")
    if percent is None and unexpected is not None and rows:
        percent = 100.0 * unexpected / rows
    sample = details.get("partial_unexpected_index_list") or details.get("partial_unexpected_list")
    return ExpectationOutcome(
        position=position, expectation_type=expectation["type"], column=column_label(expectation),
        label=expectation_label(expectation), kwargs=_jsonable(expectation["kwargs"]),
        severity=expectation["severity"], scope=scope(expectation), success=bool(result.success),
        observed=_jsonable(details.get("observed_value", unexpected)), element_count=details.get("element_count"),
        unexpected_count=unexpected, unexpected_percent=percent, sample=_jsonable(sample))


def _interval_start(cursor, batch_id: str) -> datetime:
    cursor.execute("SELECT interval_start FROM audit.batch WHERE batch_id = %s", (batch_id,))
    row = cursor.fetchone()
    if row is None:
        raise RuntimeError(f"batch {batch_id} is not in audit.batch; the gate validates batches a landing "
                           f"recorded (the land task's return value)")
    return row[0]


def _superseded_by(cursor, batch_id: str) -> str | None:
    """Under the interval lock: None when the batch is landed (a gate may run again on a judged
    one); the newer batch's id when a later landing of its interval retired it before its gate
    ran (a retry, a rerun, or a scheduled run's look-back refetching the interval: the newer
    batch carries the interval and is gated by its own task). Any other state is an error."""
    cursor.execute("SELECT status, message FROM audit.batch WHERE batch_id = %s", (batch_id,))
    status, message = cursor.fetchone()
    if status in ("loaded", "validated", "rejected"):
        return None
    if status == "failed" and superseding_batch(message):
        return superseding_batch(message)
    raise RuntimeError(
        f"batch {batch_id} is {status}, not landed ({message}), so the gate recorded nothing for it. Its "
        f"landing failed: see audit.batch, and rerun the interval.")


def _batch_rows(cursor, batch_id: str) -> tuple[int, str]:
    """The batch's rows in raw and its interval, as text. Raw is append-only and a landing
    records the rows it COPYs in the same transaction (load.raw), so ``loaded_count`` is the
    batch's rows in raw, and the gate does not scan the batch once more to count them."""
    cursor.execute("""SELECT loaded_count,
                             to_char(interval_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' .. ' ||
                             to_char(interval_end AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
                      FROM audit.batch WHERE batch_id = %s""", (batch_id,))
    return cursor.fetchone()


def _sample_failing_rows(cursor, query: sql.Composable) -> list[dict]:
    """A few failing rows of an unexpected-rows check, for the result and the report."""
    cursor.execute(sql.SQL("SELECT to_jsonb(sample) FROM ({}) AS sample LIMIT 5").format(query))
    return [row[0] for row in cursor.fetchall()]


def validate_batch(runner: SuiteRunner, warehouse_url: str, dataset: Dataset, document: dict,
                   batch_id: str, accept_shrink: bool = False) -> BatchVerdict:
    """Validate one batch, quarantine its failing rows, store results and the verdict, holding
    the interval's lock (warehouse.locks) while writing them. A registry snapshot also passes
    the shrink guard (quality.registry_guard) unless ``accept_shrink``."""
    started = datetime.now(timezone.utc)
    asset_query = batch_query(dataset.raw_table, batch_id)
    results = runner.validate(dataset.raw_table, batch_id)
    expectations = document["expectations"]
    if [r.expectation_config.type for r in results] != [e["type"] for e in expectations]:
        raise RuntimeError(f"{dataset.name}: GX results do not match the suite's expectations")
    tolerance = quarantine_tolerance(document)
    with connect(warehouse_url) as conn, conn.cursor() as cur:
        interval_start = _interval_start(cur, batch_id)
        lock_interval(cur, dataset.name, interval_start, "gate")
        newer = _superseded_by(cur, batch_id)
        if newer:
            return BatchVerdict(batch_id, passed=True, superseded_by=newer)
        with lock_waits(dataset.name, interval_start, "gate",
                        f"a lock on {dataset.raw_table}, {dataset.quarantine_table} or audit.batch"):
            rows, interval = _batch_rows(cur, batch_id)
            outcomes, to_quarantine, blocking = [], [], []
            for position, (expectation, gx_result) in enumerate(zip(expectations, results)):
                outcome = _outcome(position, expectation, gx_result, rows)
                if not outcome.success and outcome.scope == "row" and outcome.severity == "critical":
                    to_quarantine.append(failing_rows(position, expectation, gx_result.result or {}, asset_query))
                    outcome.quarantined = outcome.unexpected_count or 0
                if not outcome.success and expectation["type"] == UNEXPECTED_ROWS:
                    outcome.sample = _sample_failing_rows(cur, sql.SQL(substitute_batch(
                        expectation["kwargs"]["unexpected_rows_query"], asset_query)))
                if not outcome.success and outcome.severity == "critical" and (
                        outcome.scope == "batch" or (outcome.unexpected_count or 0) > tolerance * rows):
                    blocking.append(outcome)
                outcomes.append(outcome)
            if dataset.request == "snapshot":
                guard = registry_shrink_outcome(cur, dataset, batch_id, rows, len(outcomes), accept_shrink)
                outcomes.append(guard)
                if not guard.success:
                    blocking.append(guard)
            moved = quarantine(cur, dataset, batch_id, to_quarantine)
            passed = not blocking
            record_run(cur, run_id=uuid.uuid4().hex, batch_id=batch_id, dataset=dataset.name,
                       suite=document["name"], started_at=started, success=passed, outcomes=outcomes,
                       quarantined=moved, gx_version=gx_version())
            _record_verdict(cur, batch_id, passed, blocking, tolerance, rows)
    failures = [o.as_failure() for o in outcomes if not o.success]
    return BatchVerdict(batch_id, passed, interval, rows, moved, failures, [o.as_failure() for o in blocking],
                        outcomes=outcomes)


def _record_verdict(cursor, batch_id: str, passed: bool, blocking: list[ExpectationOutcome], tolerance: float,
                    rows: int) -> None:
    status = "validated" if passed else "rejected"
    message = None if passed else "; ".join(
        o.label + (f" on {o.unexpected_count} of {rows} rows, over the {tolerance:.0%} quarantine tolerance"
                   if o.scope == "row" else f" observed {o.observed}") for o in blocking)
    cursor.execute("""UPDATE audit.batch SET status = %s, validated_at = now(), message = %s
                      WHERE batch_id = %s AND status = 'loaded'""", (status, message, batch_id))


def validate_batches(warehouse_url: str, dataset: Dataset, batch_ids: list[str],
                     accept_shrink: bool = False) -> list[BatchVerdict]:
    """Run the dataset's suite on each batch; raise ValidationFailed if any was rejected.
    ``accept_shrink`` lets a registry snapshot through that shrank on purpose."""
    document = load_suite_document(dataset.name)
    runner = SuiteRunner.open(warehouse_url, document)
    verdicts = [validate_batch(runner, warehouse_url, dataset, document, batch_id, accept_shrink)
                for batch_id in batch_ids]
    for verdict in verdicts:
        if verdict.superseded_by:
            log.warning("%s batch %s: not judged, a later landing of its interval replaced it before its gate "
                        "ran (batch %s, gated by its own task)", dataset.name, verdict.batch_id, verdict.superseded_by)
        if verdict.quarantined:
            log.warning("%s batch %s: %d of %d rows quarantined by row-level expectations", dataset.name,
                        verdict.batch_id, verdict.quarantined, verdict.rows)
        for failure in verdict.failures:
            log.warning("%s batch %s: %s %s (observed %s)", dataset.name, verdict.batch_id,
                        failure["severity"], failure["label"], failure["observed"])
    rejected = [v for v in verdicts if not v.passed]
    if rejected:
        raise ValidationFailed(_rejection_message(dataset, verdicts, rejected), verdicts)
    return verdicts


def _rejection_message(dataset: Dataset, verdicts: list[BatchVerdict], rejected: list[BatchVerdict]) -> str:
    lines = [f"batch {v.batch_id} ({v.interval}, {v.rows} rows): " + "; ".join(
        f"{f['label']} observed {f['observed']}, sample {f['sample']}" for f in v.blocking) for v in rejected]
    return (f"{dataset.name}: {len(rejected)} of {len(verdicts)} batch(es) failed critical expectations "
            f"and were rejected; the marts keep using the previous validated batch of each interval.\n"
            + "\n".join(lines) + "\n"
            f"Look at the failing rows (SELECT * FROM {dataset.quarantine_table} WHERE _batch_id = '<batch>'), "
            f"audit.validation_result and reports/quality/index.html. If the source sent bad data, have it "
            f"corrected and rerun the interval; if the data is right, fix expectations/{dataset.name}.json."
            + ("\n" + HOW_TO_ACCEPT if any(f["type"] == REGISTRY_SHRINK for v in rejected for f in v.blocking)
               else ""))
