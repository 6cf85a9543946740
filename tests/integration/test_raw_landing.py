"""land_batch streaming pages into raw in one COPY: accounting, hashes, and failures mid-stream."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from taza.load.raw import land_batch
from taza.load.records import canonical_line, line_hash, record_hash, type_record
from taza.sources.http import Page, SourceError
from taza.sources.industry import TELEMETRY

pytestmark = pytest.mark.integration

# Before the simulated feed starts, so these batches never meet the DAG tests' readings.
INTERVAL = (datetime(2019, 1, 1, tzinfo=timezone.utc), datetime(2019, 1, 2, tzinfo=timezone.utc))


def reading(n: int, **changes) -> dict:
    return {"reading_id": f"T-S01:PM10:{n}", "bin": "000000000001", "stack_id": "T-S01", "pollutant": "PM10",
            "reading_at": f"2019-01-01T{n // 3:02d}:{n % 3 * 20:02d}:00Z", "value_mg_m3": 12.5 + n,
            "limit_mg_m3": 50, "flow_m3_h": 1000 + n, "status": "ok", **changes}


def page(number: int, records: list) -> Page:
    return Page(url=f"http://test/industry/v1/telemetry?cursor={number}", body=json.dumps(records).encode(),
                records=records, number=number)


def batch_row(db, batch_id):
    db.execute("""SELECT status, received_count, loaded_count, quarantined_count, high_watermark, message
                  FROM audit.batch WHERE batch_id = %s""", (batch_id,))
    return db.fetchone()


def test_pages_land_typed_hashed_and_bad_records_are_quarantined(warehouse_url, db):
    first = [reading(n) for n in range(6)]
    second = [reading(6, value_mg_m3="high"), reading(5), reading(7, flow_m3_h=None), reading(8, bin="a\tb"),
              reading(9, value_mg_m3=1e-05), reading(12, status=5)]
    result = land_batch(warehouse_url, TELEMETRY, [page(1, first), page(2, second)], *INTERVAL,
                        source_url="http://test/industry/v1/telemetry")
    assert (result.received, result.loaded, result.quarantined) == (12, 8, 4)
    status, received, loaded, quarantined, watermark, _ = batch_row(db, result.batch_id)
    assert (status, received, loaded, quarantined) == ("loaded", 12, 8, 4)
    # reading 9 is the newest loaded; the quarantined reading 12 does not move the watermark
    assert watermark == datetime(2019, 1, 1, 3, 0, tzinfo=timezone.utc)

    db.execute("""SELECT reading_id, bin, value_mg_m3::text, _record_hash, _source_url FROM raw.industry__telemetry
                  WHERE _batch_id = %s ORDER BY reading_id""", (result.batch_id,))
    landed = {row[0]: row[1:] for row in db.fetchall()}
    assert landed["T-S01:PM10:8"][0] == "a\tb"  # escaped through COPY and back
    assert landed["T-S01:PM10:9"][1] == "0.00001"
    for record in first + second[3:5]:
        expected_hash = line_hash(canonical_line(type_record(TELEMETRY, record)))
        assert landed[record["reading_id"]][2] == expected_hash
    assert landed["T-S01:PM10:0"][3].endswith("cursor=1") and landed["T-S01:PM10:9"][3].endswith("cursor=2")

    db.execute("""SELECT record->>'reading_id', reason, _record_hash FROM quarantine.industry__telemetry
                  WHERE _batch_id = %s ORDER BY 1""", (result.batch_id,))
    rows = db.fetchall()
    reasons = {reading_id: reason for reading_id, reason, _ in rows}
    assert reasons["T-S01:PM10:6"] == "field 'value_mg_m3': expected a number, got 'high'"
    assert reasons["T-S01:PM10:7"] == "missing required field 'flow_m3_h'"
    assert reasons["T-S01:PM10:12"] == "field 'status': expected a string, got 5"
    assert reasons["T-S01:PM10:5"].startswith("duplicate natural key {'reading_id': 'T-S01:PM10:5'}: an identical")
    hashes = {reading_id: digest for reading_id, _, digest in rows}
    assert hashes["T-S01:PM10:6"] == record_hash(second[0])
    assert hashes["T-S01:PM10:5"] == landed["T-S01:PM10:5"][2]


def test_a_schema_change_on_a_later_page_fails_the_batch_naming_it(warehouse_url, db):
    renamed = [{("value" if k == "value_mg_m3" else k): v for k, v in reading(n).items()} for n in range(10, 13)]
    pages = [page(1, [reading(n) for n in range(5)]), page(2, [reading(n) for n in range(5, 10)]), page(3, renamed)]
    with pytest.raises(SourceError, match=r"industry__telemetry: GET http://test/industry/v1/telemetry\?cursor=3: "
                                          r"schema change, no record on page 3 has the required field\(s\) "
                                          r"\['value_mg_m3'\]"):
        land_batch(warehouse_url, TELEMETRY, pages, *INTERVAL, source_url="http://test/industry/v1/telemetry")
    db.execute("""SELECT batch_id, status, message FROM audit.batch WHERE dataset = 'industry__telemetry'
                  AND interval_start = %s ORDER BY started_at DESC NULLS LAST LIMIT 1""", (INTERVAL[0],))
    batch_id, status, message = db.fetchone()
    assert status == "failed" and "schema change" in message
    db.execute("SELECT count(*) FROM raw.industry__telemetry WHERE _batch_id = %s", (batch_id,))
    assert db.fetchone()[0] == 0, "the pages before the schema change are rolled back with it"
