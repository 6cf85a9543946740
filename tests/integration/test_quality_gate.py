"""The GX gate on real batches: warnings pass, critical failures reject loudly, staging keeps the good batch."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from taza.load.raw import land_batch
from taza.quality.gate import ValidationFailed, validate_batches
from taza.sources.regional import PLANTING_REPORTS
from taza.sources.http import Page

pytestmark = pytest.mark.integration

# Months before the programme's history, so these batches never touch the KPI tests' data.
JULY_2019 = (datetime(2019, 7, 1, tzinfo=timezone.utc), datetime(2019, 8, 1, tzinfo=timezone.utc))
JUNE_2019 = (datetime(2019, 6, 1, tzinfo=timezone.utc), datetime(2019, 7, 1, tzinfo=timezone.utc))


def report(n: int, period: str, **changes) -> dict:
    return {"report_id": f"T-{period}-{n}", "region_kato": "110000000", "region_name": "Akmola Region",
            "district": "Burabay District", "period": period, "programme": "state_forest_fund",
            "trees_planted": 1000 + n, "area_ha": 0.5, "reported_at": "2019-08-03T09:00:00+05:00", **changes}


def land(url, records, interval):
    page = Page(url="http://test/regional/v1/planting-reports?page=1", body=json.dumps(records).encode(),
                records=records, number=1)
    return land_batch(url, PLANTING_REPORTS, [page], *interval, source_url="http://test")


def status(db, batch_id):
    db.execute("SELECT status, message FROM audit.batch WHERE batch_id = %s", (batch_id,))
    return db.fetchone()


def test_warning_only_failure_lets_the_batch_through(warehouse_url, db):
    records = [report(n, "2019-06", reported_at=None) for n in range(5)]
    batch = land(warehouse_url, records, JUNE_2019)
    [verdict] = validate_batches(warehouse_url, PLANTING_REPORTS, [batch.batch_id])
    assert verdict.passed
    assert [(f["type"], f["column"], f["severity"]) for f in verdict.failures] == [
        ("expect_column_values_to_not_be_null", "reported_at", "warning")]
    assert status(db, batch.batch_id) == ("validated", None)


def test_critical_failure_rejects_the_batch_and_staging_keeps_the_previous_one(warehouse_url, db, staging_views):
    good = land(warehouse_url, [report(n, "2019-07") for n in range(4)], JULY_2019)
    validate_batches(warehouse_url, PLANTING_REPORTS, [good.batch_id])
    bad_records = [report(n, "2019-07", trees_planted=-5 if n == 0 else 1) for n in range(4)]
    bad = land(warehouse_url, bad_records, JULY_2019)

    with pytest.raises(ValidationFailed) as err:
        validate_batches(warehouse_url, PLANTING_REPORTS, [bad.batch_id])
    message = str(err.value)
    assert f"batch {bad.batch_id}" in message
    assert "expect_column_values_to_be_between(trees_planted)" in message and "[-5]" in message
    assert "keep using the previous validated batch" in message
    assert status(db, bad.batch_id) == ("rejected", "expect_column_values_to_be_between(trees_planted)")

    db.execute("""SELECT DISTINCT _batch_id, sum(trees_planted) OVER ()
                  FROM staging.stg_regional__planting_reports WHERE period_month = '2019-07-01'""")
    assert db.fetchall() == [(good.batch_id, sum(1000 + n for n in range(4)))]


def test_bad_records_are_quarantined_with_reasons_and_counted(warehouse_url, db):
    records = [report(0, "2019-05"), report(0, "2019-05"), report(1, "2019-05", trees_planted="many"),
               {"unexpected": "shape"}, report(2, "2019-05")]
    interval = (datetime(2019, 5, 1, tzinfo=timezone.utc), datetime(2019, 6, 1, tzinfo=timezone.utc))
    batch = land(warehouse_url, records, interval)
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
