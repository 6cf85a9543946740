"""OpenLineage datasets of the ingest tasks: names that join dbt's, statistics, the gate's verdict."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from openlineage.client.serde import Serde

from taza.load.raw import BatchResult
from taza.pipeline import lineage
from taza.quality.gate import BatchVerdict
from taza.quality.results import ExpectationOutcome
from taza.sources.regional import PLANTING_REPORTS

pytestmark = pytest.mark.unit

WAREHOUSE = "postgresql://taza:s3cret@127.0.0.1:54321/taza"
SOURCE = "http://127.0.0.1:8765"
START, END = datetime(2024, 1, 1, tzinfo=timezone.utc), datetime(2024, 2, 1, tzinfo=timezone.utc)


def outcome(label, success, column=None, severity="critical", observed=None):
    return ExpectationOutcome(position=0, expectation_type="expect_column_values_to_not_be_null", column=column,
                              label=label, kwargs={}, severity=severity, scope="row", success=success,
                              observed=observed, element_count=None, unexpected_count=None,
                              unexpected_percent=None, sample=None)


def test_source_endpoint_is_the_family_host_and_the_endpoint_path():
    endpoint = lineage.source_endpoint(SOURCE, PLANTING_REPORTS.path)
    assert (endpoint.namespace, endpoint.name) == ("http://127.0.0.1:8765", PLANTING_REPORTS.path)
    behind_a_path = lineage.source_endpoint("https://data.gov.kz/akimat/", "/reports")
    assert (behind_a_path.namespace, behind_a_path.name) == ("https://data.gov.kz:443", "/akimat/reports")


def test_warehouse_tables_are_named_as_dbt_names_them_and_never_carry_credentials():
    assert lineage.warehouse_namespace(WAREHOUSE) == "postgres://127.0.0.1:54321"
    assert lineage.warehouse_table_name(WAREHOUSE, PLANTING_REPORTS.raw_table) == (
        f"taza.raw.{PLANTING_REPORTS.name}")
    inputs, outputs = lineage.landing(PLANTING_REPORTS, SOURCE, WAREHOUSE)
    assert not any("s3cret" in Serde.to_json(d) for d in inputs + outputs)


def test_landing_reads_the_endpoint_and_writes_raw_and_quarantine_with_row_counts():
    before_inputs, before_outputs = lineage.landing(PLANTING_REPORTS, SOURCE, WAREHOUSE)
    assert [o.outputFacets for o in before_outputs] == [{}, {}]
    results = [BatchResult("b1", PLANTING_REPORTS.name, START, END, 12, 10, 2, "x"),
               BatchResult("b2", PLANTING_REPORTS.name, START, END, 5, 5, 0, "y")]
    inputs, outputs = lineage.landing(PLANTING_REPORTS, SOURCE, WAREHOUSE, results)
    assert [i.name for i in inputs] == [PLANTING_REPORTS.path]
    assert [(o.name, o.outputFacets["outputStatistics"].rowCount) for o in outputs] == [
        (f"taza.raw.{PLANTING_REPORTS.name}", 15), (f"taza.quarantine.{PLANTING_REPORTS.name}", 2)]


def test_gate_reads_raw_writes_quarantine_and_carries_each_expectation_and_the_rows_judged():
    verdicts = [
        BatchVerdict("b1", True, "2024-01", rows=10, quarantined=1,
                     outcomes=[outcome("not null", True, "region_kato"), outcome("plausible", True)]),
        BatchVerdict("b2", False, "2024-02", rows=7, quarantined=3,
                     outcomes=[outcome("not null", True, "region_kato"), outcome("plausible", False, observed=99)]),
        BatchVerdict("b0", True, superseded_by="b2"),  # retired unjudged: no rows, no assertions
    ]
    (raw,), (quarantine,) = lineage.gate(PLANTING_REPORTS, WAREHOUSE, verdicts)
    assert (raw.name, quarantine.name) == (f"taza.raw.{PLANTING_REPORTS.name}",
                                           f"taza.quarantine.{PLANTING_REPORTS.name}")
    assertions = raw.inputFacets["dataQualityAssertions"].assertions
    assert [(a.assertion, a.column, a.success, a.actual) for a in assertions] == [
        ("not null", "region_kato", True, None), ("plausible", None, False, "2024-02: 99")]
    assert raw.inputFacets["dataQualityMetrics"].rowCount == 17
    assert quarantine.outputFacets["outputStatistics"].rowCount == 4
    assert '"dataQualityAssertions"' in Serde.to_json(raw)


def test_a_report_reaches_the_collecting_task_only_and_the_last_one_wins():
    lineage.report(*lineage.gate(PLANTING_REPORTS, WAREHOUSE))  # outside a task: nothing to do
    with lineage.collecting() as collected:
        lineage.report(*lineage.landing(PLANTING_REPORTS, SOURCE, WAREHOUSE))
        lineage.report(*lineage.gate(PLANTING_REPORTS, WAREHOUSE))
    assert [d.name for d in collected.inputs] == [f"taza.raw.{PLANTING_REPORTS.name}"]
    assert [d.name for d in collected.outputs] == [f"taza.quarantine.{PLANTING_REPORTS.name}"]
