"""Validation results in the warehouse: audit.validation_run and audit.validation_result.

One run per validation of a batch, one result per expectation of the suite, written in the
gate's transaction so the verdict, the quarantine and the evidence never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from psycopg2.extras import Json, execute_values


@dataclass
class ExpectationOutcome:
    position: int
    expectation_type: str
    column: str | None
    label: str
    kwargs: dict
    severity: str
    scope: str
    success: bool
    observed: object
    element_count: int | None
    unexpected_count: int | None
    unexpected_percent: float | None
    sample: object
    quarantined: int = 0

    def as_failure(self) -> dict:
        return {"type": self.expectation_type, "column": self.column, "label": self.label,
                "severity": self.severity, "scope": self.scope, "observed": self.observed,
                "unexpected_count": self.unexpected_count, "sample": self.sample}


def record_run(cursor, *, run_id: str, batch_id: str, dataset: str, suite: str, started_at: datetime,
               success: bool, outcomes: list[ExpectationOutcome], quarantined: int, gx_version: str) -> None:
    failed = [o for o in outcomes if not o.success]
    cursor.execute("""
        INSERT INTO audit.validation_run (run_id, batch_id, dataset, suite, started_at, finished_at, success,
                                          evaluated_count, failed_count, critical_failed, warning_failed,
                                          quarantined_count, gx_version)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                   (run_id, batch_id, dataset, suite, started_at, datetime.now(timezone.utc), success,
                    len(outcomes), len(failed), sum(o.severity == "critical" for o in failed),
                    sum(o.severity == "warning" for o in failed), quarantined, gx_version))
    execute_values(cursor, """
        INSERT INTO audit.validation_result (run_id, position, batch_id, expectation, expectation_type,
                                             column_name, kwargs,
                                             severity, scope, success, observed_value, element_count,
                                             unexpected_count, unexpected_percent, quarantined_count, sample)
        VALUES %s""", [(run_id, o.position, batch_id, o.label, o.expectation_type, o.column, Json(o.kwargs), o.severity,
                        o.scope, o.success, Json(o.observed), o.element_count, o.unexpected_count,
                        o.unexpected_percent, o.quarantined, Json(o.sample)) for o in outcomes])
