"""Typing source records: what loads, and the reason for what is quarantined."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from taza import config
from taza.load.records import RecordError, missing_everywhere, record_hash, stored_json, type_record
from taza.sources.http import UndecodableRecord, decode_json
from taza.sources.regional import PLANTING_REPORTS
from taza.sources.schema import EARLIEST_PLAUSIBLE, FUTURE_MARGIN

pytestmark = pytest.mark.unit

GOOD = {"report_id": "PR-1", "region_kato": "110000000", "region_name": "Akmola Region",
        "district": "Burabay", "period": "2024-05", "programme": "state_forest_fund",
        "trees_planted": 1200, "area_ha": 0.55, "reported_at": "2024-06-03T09:00:00+05:00"}


def test_good_record_is_typed_in_column_order():
    values = type_record(PLANTING_REPORTS, GOOD)
    row = dict(zip(PLANTING_REPORTS.column_names, values))
    assert row["period"] == date(2024, 5, 1)
    assert row["trees_planted"] == 1200
    assert row["area_ha"] == Decimal("0.55")
    assert row["reported_at"].utcoffset() == timedelta(hours=5)
    assert isinstance(row["reported_at"], datetime)


@pytest.mark.parametrize("change, reason", [
    ({"trees_planted": "1200"}, "field 'trees_planted': expected an integer, got '1200'"),
    ({"trees_planted": True}, "field 'trees_planted': expected an integer"),
    ({"area_ha": float("nan")}, "field 'area_ha': expected a finite number"),
    ({"period": "2024-13"}, "field 'period': expected a valid month"),
    ({"period": "May 2024"}, "field 'period': expected a month 'YYYY-MM'"),
    ({"reported_at": "2024-06-03T09:00:00"}, "field 'reported_at': expected an ISO-8601 timestamp with offset"),
    ({"region_kato": None}, "missing required field 'region_kato'"),
    ({"region_kato": 110000000}, "field 'region_kato': expected a string"),
])
def test_bad_record_raises_with_a_reason(change, reason):
    with pytest.raises(RecordError) as err:
        type_record(PLANTING_REPORTS, {**GOOD, **change})
    assert str(err.value).startswith(reason)


def test_optional_field_may_be_missing():
    record = {k: v for k, v in GOOD.items() if k != "reported_at"}
    assert dict(zip(PLANTING_REPORTS.column_names, type_record(PLANTING_REPORTS, record)))["reported_at"] is None


def test_non_object_record_is_rejected():
    with pytest.raises(RecordError, match="expected a JSON object, got list"):
        type_record(PLANTING_REPORTS, [1, 2])


def test_record_hash_ignores_key_order_but_not_values():
    reordered = dict(reversed(list(GOOD.items())))
    assert record_hash(reordered) == record_hash(GOOD)
    assert record_hash({**GOOD, "trees_planted": 1201}) != record_hash(GOOD)


def test_a_field_missing_from_every_record_is_a_schema_change():
    renamed = [{("trees" if k == "trees_planted" else k): v for k, v in GOOD.items()}] * 3
    assert missing_everywhere(PLANTING_REPORTS, renamed) == ["trees_planted"]
    assert missing_everywhere(PLANTING_REPORTS, [GOOD, renamed[0]]) == []
    assert missing_everywhere(PLANTING_REPORTS, []) == []


# Record-level defects: each is one record's problem, quarantined with a reason naming
# the field, the value and the limit; none may fail the batch.
LANDED = datetime(2024, 7, 1, 12, 0, tzinfo=timezone.utc)


def nested(levels: int):
    value = []
    for _ in range(levels - 1):
        value = [value]
    return value


@pytest.mark.parametrize("change, reason", [
    ({"district": "Bura\x00bay"}, "field 'district': holds a NUL character"),
    ({"district": "Bura\ud800bay"}, "field 'district': holds a lone surrogate"),
    ({"region_name": "A" * 20_000}, "field 'region_name': 20000 characters, over the maximum of 500: 'AAAA"),
    ({"trees_planted": 2**63}, "field 'trees_planted': 9223372036854775808 is beyond bigint"),
    ({"trees_planted": -2**63 - 1}, "field 'trees_planted': -9223372036854775809 is beyond bigint"),
    ({"trees_planted": 10**400}, "field 'trees_planted': 1000000000000000000000000000000000000000000"),
    ({"area_ha": 1e12}, "field 'area_ha': 1000000000000.0 does not fit numeric(14, 2): |value| must round below 10^12"),
    ({"area_ha": 999999999999.996}, "field 'area_ha': 999999999999.996 does not fit numeric(14, 2)"),
    ({"area_ha": -10**30}, "field 'area_ha': -1000000000000000000000000000000 does not fit numeric(14, 2)"),
    ({"area_ha": float("inf")}, "field 'area_ha': expected a finite number, got inf"),
    ({"area_ha": float("-inf")}, "field 'area_ha': expected a finite number, got -inf"),
    ({"reported_at": "2099-01-01T00:00:00+00:00"},
     "field 'reported_at': 2099-01-01T00:00:00+00:00 is outside the plausible window "
     "[2000-01-01T00:00:00+00:00, 2024-07-15T12:00:00+00:00] (not before 2000-01-01, not after landing + 14 days)"),
    ({"reported_at": "1999-12-31T23:59:59+00:00"}, "field 'reported_at': 1999-12-31T23:59:59+00:00 is outside"),
    ({"reported_at": "2024-07-15T17:00:01+05:00"}, "field 'reported_at': 2024-07-15T17:00:01+05:00 is outside"),
    ({"period": "2099-12"}, "field 'period': 2099-12 is outside the plausible window [2000-01-01, 2024-07-15]"),
    ({"district": nested(5000)}, "field 'district': expected a string, got [[[[...]]]]"),
])
def test_each_record_defect_is_a_record_error_naming_field_value_and_limit(change, reason):
    with pytest.raises(RecordError) as err:
        type_record(PLANTING_REPORTS, {**GOOD, **change}, landed_at=LANDED)
    assert str(err.value).startswith(reason), str(err.value)


@pytest.mark.parametrize("change", [
    {"trees_planted": 2**63 - 1}, {"area_ha": 999999999999.99}, {"region_name": "Қ" * 500},
    {"reported_at": "2024-07-15T17:00:00+05:00"}, {"reported_at": "2000-01-01T00:00:00+00:00"},
])
def test_values_at_the_limits_still_load(change):
    assert type_record(PLANTING_REPORTS, {**GOOD, **change}, landed_at=LANDED)


def test_an_undecodable_record_is_a_record_error_with_its_reason():
    record = UndecodableRecord("record nested 5001 levels deep", b"[" * 5001)
    with pytest.raises(RecordError, match="^record nested 5001 levels deep$"):
        type_record(PLANTING_REPORTS, record)
    assert record_hash(record) == hashlib.sha256(b"[" * 5001).hexdigest()


@pytest.mark.parametrize("record", [
    {**GOOD, "district": "Bura\x00bay", "extra": ["\x00"]},
    {**GOOD, "district": "\ud800", "\udfff": 1},
    {**GOOD, "area_ha": float("nan"), "other": float("-inf")},
    {**GOOD, "district": nested(950)},
    UndecodableRecord("record is not valid UTF-8", b'{"a": "\xff\x00"}'),
])
def test_every_quarantined_record_is_stored_as_json_jsonb_accepts(record):
    stored = stored_json(record)
    stored.encode("utf-8")  # no lone surrogate left
    assert "\x00" not in stored and "\\u0000" not in stored  # jsonb refuses NUL, raw or escaped
    assert json.loads(stored, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert len(record_hash(record)) == 64


def test_stored_json_keeps_an_ordinary_record_as_it_came():
    assert json.loads(stored_json(GOOD)) == GOOD


def test_a_page_with_undecodable_records_keeps_its_other_records():
    deep = b'{"report_id": "PR-2", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    huge = b'{"report_id": "PR-3", "trees_planted": ' + b"9" * 5000 + b"}"
    not_utf8 = b'{"report_id": "PR-4", "district": "\xff"}'
    surrogate = b'{"report_id": "PR-5", "district": "\\ud800"}'
    body = (b'{"data": [' + json.dumps(GOOD).encode() + b", " + deep + b", " + huge + b", " + not_utf8 + b", "
            + surrogate + b'], "next_cursor": "c2", "meta": {"data": [1]}}')
    page = decode_json(body)
    assert page["next_cursor"] == "c2" and page["meta"] == {"data": [1]}
    good, deep_record, huge_record, not_utf8_record, surrogate_record = page["data"]
    assert good == GOOD
    assert surrogate_record == {"report_id": "PR-5", "district": "\ud800"}
    assert deep_record.text == deep and deep_record.reason.startswith("record nested 5001 levels deep")
    assert huge_record.reason.startswith("record not decodable: Exceeds the limit (4300 digits)")
    assert not_utf8_record.reason.startswith("record is not valid UTF-8")


@pytest.mark.parametrize("body", [b'{"data": [{"a": 1}, {"b": ' + b"[" * 5000, b'{"data": [{"a": 1,, "b": 2}]}',
                                  b'{"data": [{"b": ' + b"[" * 5000 + b"]" * 5000 + b"}, {,}]}"])
def test_a_page_with_a_syntax_error_stays_malformed(body):
    with pytest.raises(ValueError):
        decode_json(body)


@pytest.mark.parametrize("suite, column", [("regional__planting_reports", "reported_at"),
                                           ("regional__dump_detections", "eliminated_at")])
def test_the_gate_bounds_dates_by_the_landing_rule(suite, column):
    document = json.loads((config.EXPECTATIONS_DIR / f"{suite}.json").read_text())
    [query] = [e["kwargs"]["unexpected_rows_query"] for e in document["expectations"]
               if e.get("description") == f"{column} inside the plausible window"]
    assert f"{column} < timestamptz '{EARLIEST_PLAUSIBLE.isoformat(sep=' ')}'" in query
    assert f"{column} > _loaded_at + interval '{FUTURE_MARGIN.days} days'" in query
