"""Typing source records: what loads, and the reason for what is quarantined."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from taza.load.records import RecordError, missing_everywhere, record_hash, type_record
from taza.sources.regional import PLANTING_REPORTS

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
