"""One page holding one record of every record-level defect, served over a real HTTP
socket and landed: the good records load, each bad one is quarantined at landing with
its reason, and the batch balances (received = loaded + quarantined).

Before this, any one of these failed the whole batch (a NUL byte or a lone surrogate
broke the COPY, a too-deep or huge-integer record broke the page's decoding), and a
2099 date or a 20 kB name landed.
"""
from __future__ import annotations

import json
import re
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from taza.load.raw import land_batch
from taza.quality.gate import validate_batches
from taza.sources.http import Page, SourceClient
from taza.sources.regional import DUMP_DETECTIONS, PLANTING_REPORTS

pytestmark = pytest.mark.integration

# Before the simulated history starts, so these batches never meet the DAG tests' data.
JANUARY_2019 = (datetime(2019, 1, 1, tzinfo=timezone.utc), datetime(2019, 2, 1, tzinfo=timezone.utc))
OCTOBER_2019 = (datetime(2019, 10, 1, tzinfo=timezone.utc), datetime(2019, 11, 1, tzinfo=timezone.utc))


def report(n: int, **changes) -> dict:
    return {"report_id": f"PR-{n}", "region_kato": "110000000", "region_name": "Akmola Region",
            "district": "Burabay", "period": "2019-01", "programme": "state_forest_fund",
            "trees_planted": 100 + n, "area_ha": 0.5, "reported_at": "2019-02-05T10:00:00+05:00", **changes}


def encoded(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=True).encode()


def with_raw(record: dict, field: str, raw_json: bytes) -> bytes:
    """The record's JSON with one field's value written as ``raw_json``, verbatim."""
    return encoded({**record, field: "@@"}).replace(b'"@@"', raw_json)


# report number -> (JSON text of the record, the quarantine reason it must get)
DEFECTS = {
    10: (encoded(report(10, district="Bura\x00bay")), "field 'district': holds a NUL character"),
    11: (encoded(report(11, district="Bura\ud800bay")), "field 'district': holds a lone surrogate"),
    12: (encoded(report(12, trees_planted=2**63)), "field 'trees_planted': 9223372036854775808 is beyond bigint"),
    13: (encoded(report(13, area_ha=1e15)), "field 'area_ha': 1000000000000000.0 does not fit numeric(14, 2)"),
    14: (with_raw(report(14), "area_ha", b"NaN"), "field 'area_ha': expected a finite number, got nan"),
    15: (with_raw(report(15), "area_ha", b"1e400"), "field 'area_ha': expected a finite number, got inf"),
    16: (with_raw(report(16), "note", b"[" * 5000 + b"]" * 5000), "record nested 5001 levels deep"),
    17: (with_raw(report(17), "trees_planted", b"9" * 5000), "record not decodable: Exceeds the limit (4300 digits)"),
    18: (with_raw(report(18), "district", b'"Bura\xffbay"'), "record is not valid UTF-8"),
    19: (encoded(report(19, region_name="N" * 20_000)), "field 'region_name': 20000 characters, over the maximum of 500"),
    20: (encoded(report(20, reported_at="2099-01-01T00:00:00+00:00")),
         "field 'reported_at': 2099-01-01T00:00:00+00:00 is outside the plausible window"),
    21: (encoded(report(21, period="2099-01")), "field 'period': 2099-01 is outside the plausible window"),
}
GOOD = [1, 2, 3]


def detection(n: int, **changes) -> dict:
    return {"detection_id": f"DD-{n}", "region_kato": "110000000", "lat": 51.1, "lon": 71.4, "area_m2": 120.0,
            "detected_at": "2019-01-10T06:00:00+00:00", "eliminated_at": None, "status": "open", **changes}


DETECTIONS = [detection(1), detection(2, eliminated_at="2099-01-01T00:00:00+00:00", status="eliminated"),
              detection(3, detected_at="2099-01-10T06:00:00+00:00")]


class _Source(BaseHTTPRequestHandler):
    """Answers every GET with the body of its path in ``bodies``."""

    bodies: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        body = self.bodies[self.path.split("?")[0]]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def source():
    """A loopback HTTP server serving one page per dataset."""
    records = [encoded(report(n)) for n in GOOD] + [text for text, _ in DEFECTS.values()]
    _Source.bodies = {
        PLANTING_REPORTS.path: b'{"data": [' + b", ".join(records) + b'], "next_page": null}',
        DUMP_DETECTIONS.path: json.dumps({"data": DETECTIONS, "next_page": None}).encode(),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Source)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def land(warehouse_url, source, dataset):
    client = SourceClient(source, "test-key", dataset=dataset.name, max_attempts=1)
    pages = client.iter_pages(dataset.path, {"period_from": "2019-01", "period_to": "2019-01"})
    return land_batch(warehouse_url, dataset, pages, *JANUARY_2019, source_url=source + dataset.path)


def quarantined(db, dataset, batch_id) -> dict[str, str]:
    """Quarantine reason by record id (found in the stored text of an undecodable record)."""
    db.execute(f"SELECT record::text, reason, stage FROM {dataset.quarantine_table} WHERE _batch_id = %s",
               (batch_id,))
    reasons = {}
    for record, reason, stage in db.fetchall():
        assert stage == "landing"
        record_id = re.search(r'(PR|DD)-\d+', record).group()
        assert record_id not in reasons
        reasons[record_id] = reason
    return reasons


def assert_balanced(db, batch_id, received, loaded, quarantined_count, status="loaded"):
    db.execute("""SELECT status, received_count, loaded_count, quarantined_count FROM audit.batch
                  WHERE batch_id = %s""", (batch_id,))
    assert db.fetchone() == (status, received, loaded, quarantined_count)
    assert received == loaded + quarantined_count


def test_one_record_of_each_defect_is_quarantined_and_the_rest_load(warehouse_url, db, source):
    result = land(warehouse_url, source, PLANTING_REPORTS)

    assert_balanced(db, result.batch_id, len(GOOD) + len(DEFECTS), len(GOOD), len(DEFECTS))
    db.execute("""SELECT report_id, trees_planted, area_ha::text FROM raw.regional__planting_reports
                  WHERE _batch_id = %s ORDER BY report_id""", (result.batch_id,))
    assert db.fetchall() == [(f"PR-{n}", 100 + n, "0.5") for n in GOOD]
    reasons = quarantined(db, PLANTING_REPORTS, result.batch_id)
    assert sorted(reasons) == sorted(f"PR-{n}" for n in DEFECTS)
    for n, (_, reason) in DEFECTS.items():
        assert reasons[f"PR-{n}"].startswith(reason), (n, reasons[f"PR-{n}"])


def test_dump_dates_far_in_the_future_are_quarantined(warehouse_url, db, source):
    result = land(warehouse_url, source, DUMP_DETECTIONS)

    assert_balanced(db, result.batch_id, 3, 1, 2)
    reasons = quarantined(db, DUMP_DETECTIONS, result.batch_id)
    assert reasons["DD-2"].startswith("field 'eliminated_at': 2099-01-01T00:00:00+00:00 is outside the plausible")
    assert reasons["DD-3"].startswith("field 'detected_at': 2099-01-10T06:00:00+00:00 is outside the plausible")


def test_the_gate_also_bounds_reported_at(warehouse_url, db):
    """A raw row whose reported_at lies past landing + the margin (landed before the rule,
    or by another loader) is quarantined by the gate and skipped by staging."""
    records = [report(n, period="2019-10", reported_at="2019-11-05T10:00:00+05:00") for n in range(30, 40)]
    page = Page(url="http://test/regional/v1/planting-reports?page=1", body=json.dumps(records).encode(),
                records=records, number=1)
    batch = land_batch(warehouse_url, PLANTING_REPORTS, [page], *OCTOBER_2019, source_url="http://test")
    db.execute("""UPDATE raw.regional__planting_reports SET reported_at = '2099-01-01T00:00:00+00'
                  WHERE _batch_id = %s AND report_id = 'PR-32'""", (batch.batch_id,))

    [verdict] = validate_batches(warehouse_url, PLANTING_REPORTS, [batch.batch_id])

    assert verdict.passed and verdict.quarantined == 1
    assert_balanced(db, batch.batch_id, 10, 9, 1, status="validated")
    db.execute("""SELECT record->>'report_id', expectation FROM quarantine.regional__planting_reports
                  WHERE _batch_id = %s AND stage = 'validation'""", (batch.batch_id,))
    assert db.fetchall() == [("PR-32", "unexpected_rows_expectation[reported_at inside the plausible window]")]
