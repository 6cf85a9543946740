"""The suites as reviewed JSON: every dataset covered, scopes usable by the gate, references from the seeds."""
from __future__ import annotations

import pytest

from taza.quality.quarantine import repair_index_query, substitute_batch
from taza.quality.reference import region_codes, region_names
from taza.quality.suites import UNEXPECTED_ROWS, expectation_label, load_suite_document, scope
from taza.sources.catalogue import DATASETS
from taza.sources.schema import PROVENANCE_COLUMNS


@pytest.mark.parametrize("dataset", list(DATASETS.values()), ids=lambda d: d.name)
def test_suite_builds_in_gx(dataset):
    import great_expectations as gx

    document = load_suite_document(dataset.name)
    suite = gx.ExpectationSuite(name=document["name"], expectations=document["expectations"])
    assert len(suite.expectations) == len(document["expectations"])  # GX drops unknown types silently


@pytest.mark.parametrize("dataset", list(DATASETS.values()), ids=lambda d: d.name)
def test_every_suite_covers_the_issue_checklist(dataset):
    document = load_suite_document(dataset.name)
    expectations = document["expectations"]
    types = [e["type"] for e in expectations]
    assert "expect_table_columns_to_match_set" in types
    assert any(t.endswith("_to_be_unique") for t in types), "natural key unique within the batch"
    labels = [expectation_label(e) for e in expectations]
    assert f"{UNEXPECTED_ROWS}[row count against the previous batch]" in labels
    if dataset.period_field:
        assert f"{UNEXPECTED_ROWS}[{dataset.period_field} inside the batch interval]" in labels
    for expectation in expectations:
        assert expectation["severity"] in ("critical", "warning")
        if expectation["type"] == "expect_column_values_to_be_between":
            assert "unit" in expectation["meta"], f"{dataset.name}: {expectation_label(expectation)} has no unit"
        if expectation["type"].endswith("_to_be_unique") or expectation["type"].startswith("expect_table_"):
            assert scope(expectation) == "batch"
    columns = next(e["kwargs"]["column_set"] for e in expectations if e["type"] == "expect_table_columns_to_match_set")
    assert columns == [*dataset.column_names, *PROVENANCE_COLUMNS]
    for key in (*dataset.natural_key, *([dataset.period_field] if dataset.period_field else [])):
        [not_null] = [e for e in expectations if e["type"] == "expect_column_values_to_not_be_null"
                      and e["kwargs"]["column"] == key and "row_condition" not in e["kwargs"]]
        assert (not_null["severity"], scope(not_null)) == ("critical", "row")


def test_region_codes_come_from_the_seeds_with_legacy_codes_and_nothing_else():
    codes = set(region_codes())
    assert {"790000000", "511010000", "510000000", "KZ-AKM", "kz-akm"} <= codes
    assert "999999999" not in codes
    document = load_suite_document("regional__planting_reports")
    [in_set] = [e for e in document["expectations"] if e["type"] == "expect_column_values_to_be_in_set"
                and e["kwargs"]["column"] == "region_kato"]
    assert set(in_set["kwargs"]["value_set"]) == codes


def test_region_names_are_resolved_into_the_nursery_query():
    document = load_suite_document("nursery__nurseries")
    [check] = [e for e in document["expectations"] if e.get("description") == "region name in the KATO reference"]
    query = check["kwargs"]["unexpected_rows_query"]
    assert "$reference" not in query and "'shymkent'" in query and "'nur-sultan'" in query
    assert "shymkent" in region_names()


ASSET = "SELECT * FROM raw.regional__planting_reports WHERE _batch_id = 'abc'"


def test_gx_index_query_on_a_query_asset_is_repaired_into_a_derived_table():
    gx_query = f"SELECT _record_hash, trees_planted \nFROM {ASSET} \nWHERE trees_planted < 0;"
    assert repair_index_query(gx_query, ASSET) == (
        f"SELECT _record_hash, trees_planted \nFROM ({ASSET}) AS batch_rows \nWHERE trees_planted < 0")
    already_fine = f"SELECT _record_hash FROM ({ASSET}) AS b WHERE x"
    assert repair_index_query(already_fine, ASSET) == already_fine


def test_batch_placeholder_is_filled_as_gx_fills_it():
    assert substitute_batch("SELECT * FROM {batch} WHERE x", ASSET) == f"SELECT * FROM ({ASSET}) AS subselect WHERE x"
    joined = "SELECT r.* FROM {batch} AS r JOIN audit.batch AS b ON b.batch_id = r._batch_id"
    assert substitute_batch(joined, ASSET) == f"SELECT r.* FROM ({ASSET}) AS r JOIN audit.batch AS b ON b.batch_id = r._batch_id"
