"""The GX gate on real batches: warnings pass, row failures are quarantined, critical failures reject loudly."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from taza.load.raw import land_batch
from taza.quality.gate import ValidationFailed, validate_batches
from taza.sources.http import Page
from taza.sources.regional import PLANTING_REPORTS

pytestmark = pytest.mark.integration


def month(year: int, number: int) -> tuple[datetime, datetime]:
    start = datetime(year, number, 1, tzinfo=timezone.utc)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=timezone.utc)
    return start, end


# Months before the programme's history, so these batches never touch the KPI tests' data.
MAY_2019, JUNE_2019, JULY_2019, MARCH_2019 = month(2019, 5), month(2019, 6), month(2019, 7), month(2019, 3)


def report(n: int, period: str, **changes) -> dict:
    return {"report_id": f"T-{period}-{n}", "region_kato": "110000000", "region_name": "Akmola Region",
            "district": "Burabay District", "period": period, "programme": "state_forest_fund",
            "trees_planted": 1000 + n, "area_ha": 0.5, "reported_at": "2019-08-03T09:00:00+05:00", **changes}


def land(url, records, interval):
    page = Page(url="http://test/regional/v1/planting-reports?page=1", body=json.dumps(records).encode(),
                records=records, number=1)
    return land_batch(url, PLANTING_REPORTS, [page], *interval, source_url="http://test")


def batch_row(db, batch_id):
    db.execute("""SELECT status, message, received_count, loaded_count, quarantined_count
                  FROM audit.batch WHERE batch_id = %s""", (batch_id,))
    return db.fetchone()


def test_warning_only_failure_lets_the_batch_through(warehouse_url, db):
    records = [report(n, "2019-06", reported_at=None) for n in range(5)]
    batch = land(warehouse_url, records, JUNE_2019)
    [verdict] = validate_batches(warehouse_url, PLANTING_REPORTS, [batch.batch_id])
    assert verdict.passed and verdict.quarantined == 0
    assert [(f["label"], f["severity"]) for f in verdict.failures if f["severity"] == "critical"] == []
    assert ("expect_column_values_to_not_be_null(reported_at)", "warning") in [
        (f["label"], f["severity"]) for f in verdict.failures]
    assert batch_row(db, batch.batch_id) == ("validated", None, 5, 5, 0)
    db.execute("""SELECT run.success, result.unexpected_count, result.quarantined_count
                  FROM audit.validation_run AS run JOIN audit.validation_result AS result USING (run_id)
                  WHERE run.batch_id = %s AND result.column_name = 'reported_at'""", (batch.batch_id,))
    assert db.fetchall() == [(True, 5, 0)], "a warning is recorded with its count and quarantines nothing"


def test_row_failures_are_quarantined_with_their_expectation_and_skipped_by_staging(warehouse_url, db,
                                                                                   staging_views):
    records = [report(n, "2019-03") for n in range(20)]
    records[3]["region_kato"] = "999999999"  # in neither seed: unknown region
    records[4]["region_kato"] = "511010000"  # Shymkent's legacy code: valid, staging resolves it
    records[5]["trees_planted"] = -40  # negative plantings
    records[6]["period"] = "2019-04"  # outside the batch's month
    records[7].update(region_kato="999999999", trees_planted=-1)  # two failures, one quarantine row
    batch = land(warehouse_url, records, MARCH_2019)
    [verdict] = validate_batches(warehouse_url, PLANTING_REPORTS, [batch.batch_id])

    assert verdict.passed and verdict.quarantined == 4
    assert batch_row(db, batch.batch_id) == ("validated", None, 20, 16, 4)
    db.execute("""SELECT record->>'report_id', expectation, reason FROM quarantine.regional__planting_reports
                  WHERE _batch_id = %s AND stage = 'validation' ORDER BY 1""", (batch.batch_id,))
    quarantined = db.fetchall()
    assert [(r[0], r[1]) for r in quarantined] == [
        ("T-2019-03-3", "expect_column_values_to_be_in_set(region_kato)"),
        ("T-2019-03-5", "expect_column_values_to_be_between(trees_planted)"),
        ("T-2019-03-6", "unexpected_rows_expectation[period inside the batch interval]"),
        ("T-2019-03-7", "expect_column_values_to_be_in_set(region_kato); "
                        "expect_column_values_to_be_between(trees_planted)")]
    assert "region_kato = 999999999" in quarantined[0][2]
    assert "trees_planted = -40 (trees per district-month)" in quarantined[1][2]

    db.execute("""SELECT report_id, region_kato FROM staging.stg_regional__planting_reports
                  WHERE _batch_id = %s ORDER BY report_id""", (batch.batch_id,))
    staged = dict(db.fetchall())
    assert set(staged) == {r["report_id"] for r in records} - {r[0] for r in quarantined}
    assert staged["T-2019-03-4"] == "790000000"

    db.execute("""SELECT expectation_type, column_name, severity, scope, unexpected_count, quarantined_count
                  FROM audit.validation_result WHERE batch_id = %s AND NOT success ORDER BY position""",
               (batch.batch_id,))
    assert db.fetchall() == [
        ("expect_column_values_to_be_in_set", "region_kato", "critical", "row", 2, 2),
        ("expect_column_values_to_be_between", "trees_planted", "critical", "row", 2, 2),
        ("unexpected_rows_expectation", None, "critical", "row", 1, 1)]


def test_validating_a_batch_again_quarantines_nothing_twice(warehouse_url, db):
    records = [report(n, "2019-05", trees_planted=-1 if n == 0 else 10) for n in range(10)]
    batch = land(warehouse_url, records, MAY_2019)
    validate_batches(warehouse_url, PLANTING_REPORTS, [batch.batch_id])
    validate_batches(warehouse_url, PLANTING_REPORTS, [batch.batch_id])
    assert batch_row(db, batch.batch_id)[2:] == (10, 9, 1)
    db.execute("SELECT count(*) FROM audit.validation_run WHERE batch_id = %s", (batch.batch_id,))
    assert db.fetchone() == (2,)


def test_critical_failure_rejects_the_batch_and_staging_keeps_the_previous_one(warehouse_url, db, staging_views):
    good = land(warehouse_url, [report(n, "2019-07") for n in range(4)], JULY_2019)
    validate_batches(warehouse_url, PLANTING_REPORTS, [good.batch_id])
    # one bad row in four is over the suite's 20 % quarantine tolerance: a systemic break
    bad_records = [report(n, "2019-07", trees_planted=-5 if n == 0 else 1) for n in range(4)]
    bad = land(warehouse_url, bad_records, JULY_2019)

    with pytest.raises(ValidationFailed) as err:
        validate_batches(warehouse_url, PLANTING_REPORTS, [bad.batch_id])
    message = str(err.value)
    assert f"batch {bad.batch_id}" in message
    assert "expect_column_values_to_be_between(trees_planted) observed 1" in message and "'trees_planted': -5" in message
    assert "keep using the previous validated batch" in message and "rerun the interval" in message
    assert "quarantine.regional__planting_reports WHERE _batch_id" in message
    assert batch_row(db, bad.batch_id) == (
        "rejected", "expect_column_values_to_be_between(trees_planted) on 1 of 4 rows, over the 20% quarantine tolerance",
        4, 3, 1)

    db.execute("""SELECT DISTINCT _batch_id, sum(trees_planted) OVER ()
                  FROM staging.stg_regional__planting_reports WHERE period_month = '2019-07-01'""")
    assert db.fetchall() == [(good.batch_id, sum(1000 + n for n in range(4)))]


def test_bad_records_are_quarantined_at_landing_with_reasons_and_counted(warehouse_url, db):
    records = [report(0, "2019-02"), report(0, "2019-02"), report(1, "2019-02", trees_planted="many"),
               {"unexpected": "shape"}, report(2, "2019-02")]
    batch = land(warehouse_url, records, month(2019, 2))
    assert (batch.received, batch.loaded, batch.quarantined) == (5, 2, 3)
    db.execute("SELECT reason, record FROM quarantine.regional__planting_reports WHERE _batch_id = %s "
               "ORDER BY reason", (batch.batch_id,))
    reasons = db.fetchall()
    assert [r[0].split(":")[0] for r in reasons] == ["duplicate natural key {'report_id'",
                                                     "field 'trees_planted'", "missing required field 'report_id'"]
    assert reasons[1][1]["trees_planted"] == "many", "the original record is kept as received"
    db.execute("SELECT received_count, loaded_count, quarantined_count FROM audit.batch WHERE batch_id = %s",
               (batch.batch_id,))
    assert db.fetchone() == (5, 2, 3)


def test_gx_learns_a_batch_s_columns_without_receiving_its_rows(warehouse_url, db):
    """GX reflects a query asset's columns by running the batch query bare; the gate's engine
    sends that one with LIMIT 0, and every other query (here a count over it) as it was."""
    import sqlalchemy

    from taza.quality.gx_runner import batch_query, reflect_columns_without_rows

    batch = land(warehouse_url, [report(n, "2019-04") for n in range(3)], month(2019, 4))
    engine = sqlalchemy.create_engine(warehouse_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    reflect_columns_without_rows(engine)
    query = batch_query(PLANTING_REPORTS.raw_table, batch.batch_id)
    with engine.connect() as conn:
        bare = conn.execute(sqlalchemy.text(query + "\n"))
        assert "report_id" in bare.keys() and "_record_hash" in bare.keys()
        assert bare.fetchall() == []
        assert conn.execute(sqlalchemy.text(f"SELECT count(*) FROM ({query}) AS batch")).scalar() == 3
    engine.dispose()
    [verdict] = validate_batches(warehouse_url, PLANTING_REPORTS, [batch.batch_id])
    assert verdict.passed and verdict.rows == 3
    assert batch_row(db, batch.batch_id) == ("validated", None, 3, 3, 0)


def test_gx_results_are_the_same_with_expectation_configurations_built_once(warehouse_url, monkeypatch):
    """The gate builds each expectation's configuration once per validation
    (taza.quality.gx_configuration_cache); GX's results, failed details included, are
    those of GX building it on every access."""
    from contextlib import nullcontext

    from taza.quality import gx_configuration_cache
    from taza.quality.gx_runner import SuiteRunner
    from taza.quality.suites import load_suite_document

    records = [report(n, "2019-09") for n in range(8)]
    records[1]["region_kato"] = "999999999"
    records[2].update(trees_planted=-5, reported_at=None)
    records[3]["period"] = "2019-10"
    batch = land(warehouse_url, records, month(2019, 9))
    document = load_suite_document(PLANTING_REPORTS.name)

    def results() -> list[dict]:
        found = SuiteRunner.open(warehouse_url, document).validate(PLANTING_REPORTS.raw_table, batch.batch_id)
        for result in found:
            result.expectation_config.id = None  # each runner's suite gets new ids
        return [r.to_json_dict() for r in found]

    cached = results()
    monkeypatch.setattr(gx_configuration_cache, "cached", nullcontext)
    rebuilt = results()
    assert [r["success"] for r in cached].count(False) >= 4, "the batch fails in both passes' expectations"
    assert cached == rebuilt


def test_an_unexpected_rows_check_counts_its_failing_rows_without_fetching_them(warehouse_url):
    """GX's own unexpected-rows expectation ran its query bare too, to keep 200 failing rows no
    BASIC or SUMMARY result shows; here (taza.quality.gx_unexpected_rows) each such check sends
    its query only inside COUNT(*), and still reports how many rows failed."""
    from great_expectations.core.result_format import ResultFormat
    from sqlalchemy import event

    from taza.quality.gx_runner import SuiteRunner
    from taza.quality.suites import UNEXPECTED_ROWS, expectation_label, load_suite_document

    records = [report(n, "2018-11") for n in range(6)]
    for n in (1, 4):
        records[n]["period"] = "2018-12"  # outside the batch's month
    batch = land(warehouse_url, records, month(2018, 11))
    document = load_suite_document(PLANTING_REPORTS.name)
    runner = SuiteRunner.open(warehouse_url, document)
    statements = []
    event.listen(runner.source.get_execution_engine().engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))

    results = runner.validate(PLANTING_REPORTS.raw_table, batch.batch_id)

    observed = {expectation_label(e): (r.success, r.result["observed_value"])
                for e, r in zip(document["expectations"], results) if e["type"] == UNEXPECTED_ROWS}
    assert observed["unexpected_rows_expectation[period inside the batch interval]"] == (False, 2)
    assert observed["unexpected_rows_expectation[reported_at inside the plausible window]"] == (True, 0)
    queries = [e["kwargs"]["unexpected_rows_query"].split("{batch}")[-1].strip()
               for e in document["expectations"] if e["type"] == UNEXPECTED_ROWS]
    sent = [s for s in statements if any(q in s for q in queries)]
    assert len(sent) == len(queries), sent
    assert all(s.startswith("SELECT COUNT(*)") for s in sent), sent
    check = next(e for e in runner.suite.expectations if e.expectation_type == UNEXPECTED_ROWS)
    with pytest.raises(ValueError, match="counts its failing rows and fetches none"):
        check._validate({"unexpected_rows_query.row_count": 2},
                        runtime_configuration={"result_format": ResultFormat.COMPLETE})
