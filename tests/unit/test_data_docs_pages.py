"""Data Docs render a page for every validation result of a DAG run; only the index is limited.

Real GX stores and a real Data Docs build on a temporary state and reports dir; the
index limit is lowered to 3 so that a run with more results than the limit stays small.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from taza.quality import gx_runner

pytestmark = pytest.mark.unit

INDEX_LIMIT = 3
SUITE = "regional__planting_reports"


@pytest.fixture()
def data_docs_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("TAZA_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("TAZA_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setitem(gx_runner.DATA_DOCS_INDEX, "validation_results_limit", INDEX_LIMIT)
    return tmp_path / "reports" / "data-docs"


def store_result(context, batch_id: str, run_time: datetime) -> None:
    """A validation result of one batch, as the gate stores it (one row-count check)."""
    from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (ExpectationSuiteIdentifier,
                                                                            ValidationResultIdentifier)
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    run_id = RunIdentifier(run_name=f"gate:{batch_id}", run_time=run_time)
    check = ExpectationConfiguration(type="expect_table_row_count_to_be_between", kwargs={"min_value": 1})
    result = ExpectationSuiteValidationResult(
        success=True, suite_name=SUITE, meta={"run_id": run_id, "validation_time": run_time},
        results=[ExpectationValidationResult(success=True, expectation_config=check, result={"observed_value": 5})])
    context.validation_results_store.set(
        ValidationResultIdentifier(ExpectationSuiteIdentifier(name=SUITE), run_id, batch_identifier=batch_id), result)


def test_every_result_of_the_run_gets_its_page_beyond_the_index_limit(data_docs_dirs):
    context = gx_runner._context()
    run_start = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)
    earlier = [f"earlier{n}" for n in range(2)]
    this_run = [f"thisrun{n}" for n in range(INDEX_LIMIT + 2)]
    neighbours = [f"neighbour{n}" for n in range(INDEX_LIMIT)]  # a DAG beside it, validating later
    for n, batch_id in enumerate(earlier):
        store_result(context, batch_id, run_start - timedelta(hours=1, minutes=n))
    for n, batch_id in enumerate(this_run):
        store_result(context, batch_id, run_start + timedelta(seconds=n))
    for n, batch_id in enumerate(neighbours):
        store_result(context, batch_id, run_start + timedelta(minutes=5, seconds=n))

    index = gx_runner.build_data_docs(since=run_start)

    pages = {path.name for path in (data_docs_dirs / "validations").rglob("*.html")}
    with_page = {batch_id for batch_id in earlier + this_run + neighbours if f"{batch_id}.html" in pages}
    assert with_page == set(this_run + neighbours), "every result since the run started, and only those"
    linked = {batch_id for batch_id in with_page if f"{batch_id}.html" in index.read_text()}
    assert linked == set(neighbours), f"the index lists the {INDEX_LIMIT} newest results only"


def test_a_run_without_results_renders_no_page_again(data_docs_dirs):
    """A run that landed nothing leaves Data Docs as they were (GX would read "no identifiers" as
    "every result in the store" and render the whole history again)."""
    context = gx_runner._context()
    first_run = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)
    store_result(context, "judged", first_run)
    gx_runner.build_data_docs(since=first_run)
    page = next((data_docs_dirs / "validations").rglob("judged.html"))
    page.write_text("rendered by the first run")

    index = gx_runner.build_data_docs(since=first_run + timedelta(hours=1))

    assert page.read_text() == "rendered by the first run"
    assert index == data_docs_dirs / "index.html" and index.exists()
