"""Compiled per-dataset converters: the same line, key, period and errors as the generic path."""
from __future__ import annotations

import json
import random
import re
from datetime import datetime, timezone

import pytest

from taza.load.compiled import CompiledConverter
from taza.load.records import RecordError, canonical_line, line_hash, type_record
from taza.simulator.config import SimulatorConfig
from taza.simulator.industry.telemetry import telemetry_readings
from taza.sources.catalogue import DATASETS
from taza.sources.industry import AMS_STACKS, COMMITMENTS, TELEMETRY
from taza.sources.regional import PLANTING_REPORTS

pytestmark = pytest.mark.unit

GOOD_VALUES = {"text": "Burabay", "int": 1200, "numeric": 0.55, "month": "2024-05", "date": "2024-05-03",
               "timestamp": "2024-06-03T09:00:00+05:00", "bool": True}
# Values each field is also tried with: plain, edge and wrong, per field type.
VARIANTS = {
    "text": ["", "Қостанай", "a\tb", "new\nline", "cr\rhere", "back\\slash", "\\N", 12, None, True, ["x"],
             "nul\x00", "\ud800", "Қ\udfff", "x" * 500, "x" * 501, "Қ" * 501],
    "int": [0, -7, 2**63 - 1, -2**63, 2**63, -2**63 - 1, 10**30, True, False, 1.0, "12", None],
    "numeric": [0, -3, 12, 1.5, -0.0, 0.0, 100.0, 12.25, 1e-05, 1e16, 1.5e300, 123456789.123, 10**30,
                1e-4, -1e-4, 9.999999999999999e-05, -9.999999999999999e-05, 9999999999999998.0, -1e16,
                -9999999999999998.0, 5e-324, float("nan"), float("inf"), float("-inf"), True, "1.5", None,
                99.99, 999.99999, 1000, -1000, 1e10, 9999999999.99, 999999999999.99, 1e12, -1e12],
    "month": ["2024-12", "2024-13", "2024-1", "May 2024", "2024-05-01", 202405, None, "2000-01", "1999-12",
              "2099-01"],
    "date": ["2024-02-29", "2023-02-29", "2024-5-3", "20240503", "2024-05-03T00:00", 20240503, None,
             "2000-01-01", "1999-12-31", "2099-01-01"],
    "timestamp": ["2024-06-03T09:00:00Z", "2024-06-03T09:00:00.123456+00:00", "2024-06-03 09:00:00+05:00",
                  "2024-06-03T09:00:00", "2024-06-03", "yesterday", 1717405200, None, "2000-01-01T00:00:00Z",
                  "2000-01-01T04:59:59+05:00", "2099-01-01T00:00:00Z"],
    "bool": [False, 1, 0, "true", None],
}


def outcome(convert, record):
    try:
        return convert(record)
    except RecordError as err:
        return f"RecordError: {err}"


def good_record(dataset):
    return {f.name: GOOD_VALUES[f.type] for f in dataset.fields}


@pytest.mark.parametrize("dataset", DATASETS.values(), ids=lambda d: d.name)
def test_every_field_variant_converts_as_the_generic_path(dataset):
    converter = CompiledConverter(dataset)
    base = good_record(dataset)
    assert converter.fast(base) is not None, "a plain record takes the compiled path"
    compared = 0
    for field in dataset.fields:
        without = {k: v for k, v in base.items() if k != field.name}
        for record in [without] + [{**base, field.name: value} for value in VARIANTS[field.type]]:
            assert outcome(converter.convert, record) == outcome(converter.convert_generic, record), record
            compared += 1
    assert compared > 5 * len(dataset.fields)


@pytest.mark.parametrize("record", [None, [1, 2], "text", 7])
def test_a_non_object_is_refused_as_before(record):
    converter = CompiledConverter(PLANTING_REPORTS)
    with pytest.raises(RecordError, match="expected a JSON object"):
        converter.convert(record)


def test_simulated_readings_take_the_compiled_path_and_give_the_generic_line():
    config = SimulatorConfig(seed=7, scale=0.05, api_key="k")
    readings = telemetry_readings(config, "2025-03-10T00:00:00Z", "2025-03-10T06:00:00Z")
    converter = CompiledConverter(TELEMETRY)
    assert readings
    for reading in readings:
        fast = converter.fast(reading)
        assert fast is not None
        assert fast == converter.convert_generic(reading)
        assert fast[0] == canonical_line(type_record(TELEMETRY, reading))
        assert fast[1] == (reading["reading_id"],)


def test_the_line_hash_ignores_how_the_source_serialised_the_record():
    converter = CompiledConverter(PLANTING_REPORTS)
    record = good_record(PLANTING_REPORTS)
    compact = json.dumps(record, separators=(",", ":"))
    spaced_reordered = json.dumps(dict(reversed(list(record.items()))), indent=2).replace("0.55", "0.550")
    one, other = (converter.convert(json.loads(text))[0] for text in (compact, spaced_reordered))
    assert line_hash(one) == line_hash(other)
    changed = converter.convert({**record, "trees_planted": 1201})[0]
    assert line_hash(changed) != line_hash(one)


def test_floats_of_every_magnitude_give_the_generic_text():
    rng = random.Random(7)
    converter = CompiledConverter(TELEMETRY)
    base = good_record(TELEMETRY)
    for _ in range(3000):
        value = rng.choice((-1, 1)) * rng.random() * 10.0 ** rng.randint(-8, 20)
        record = {**base, "value_mg_m3": value}
        assert outcome(converter.convert, record) == outcome(converter.convert_generic, record), value


@pytest.mark.parametrize("field, value, reason", [
    ("status", "o\x00k", "holds a NUL character"),
    ("status", "\ud800", "holds a lone surrogate"),
    ("bin", "1" * 501, "501 characters, over the maximum of 500"),
    ("value_mg_m3", 1e10, "does not fit numeric(12, 2)"),
    ("flow_m3_h", 10**13, "does not fit numeric(14, 1)"),
    ("reading_at", "2099-01-01T00:00:00Z", "2099-01-01T00:00:00Z is outside the plausible window"),
])
def test_each_defect_is_a_record_error_on_the_telemetry_path(field, value, reason):
    converter = CompiledConverter(TELEMETRY)
    good = good_record(TELEMETRY)
    converter.convert(good)  # the window check also holds once the parse cache is warm
    with pytest.raises(RecordError, match=f"^field '{field}': .*{re.escape(reason)}"):
        converter.convert({**good, field: value})


def test_the_window_follows_the_landing_time():
    record = {**good_record(TELEMETRY), "reading_at": "2024-06-20T00:00:00Z"}
    assert CompiledConverter(TELEMETRY, datetime(2024, 6, 6, tzinfo=timezone.utc)).convert(record)
    with pytest.raises(RecordError, match="outside the plausible window"):
        CompiledConverter(TELEMETRY, datetime(2024, 6, 5, tzinfo=timezone.utc)).convert(record)


def test_a_planned_date_may_lie_years_ahead_and_does_not_open_the_window_of_event_dates():
    """A deferred stack must report from 2029: its required_from is planned; installed_on is an event."""
    converter = CompiledConverter(AMS_STACKS, datetime(2026, 11, 24, tzinfo=timezone.utc))
    ahead = {**good_record(AMS_STACKS), "required_from": "2029-01-01"}
    assert converter.fast(ahead) is not None
    assert converter.convert(ahead) == converter.convert_generic(ahead)
    with pytest.raises(RecordError, match=r"^field 'installed_on': 2029-01-01 is outside .*landing \+ 14 days"):
        converter.convert({**ahead, "installed_on": "2029-01-01"})  # the same text, after it was cached
    with pytest.raises(RecordError, match=r"^field 'required_from': .*a planned date: not after 2100-12-31"):
        converter.convert({**ahead, "required_from": "2101-01-01"})


def test_an_integer_beyond_bigint_is_refused_on_the_compiled_path():
    converter = CompiledConverter(COMMITMENTS)
    record = {**good_record(COMMITMENTS), "year": 2024}
    assert converter.fast(record) is not None
    assert converter.fast({**record, "trees_committed": 2**63}) is None
    with pytest.raises(RecordError, match="beyond bigint"):
        converter.convert({**record, "trees_committed": 2**63})
