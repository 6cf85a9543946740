"""Typing one source record against its dataset's fields, and its lineage hash.

A record either becomes a tuple of typed values in the raw table's column order, or
raises RecordError with a reason that the quarantine keeps next to the original.

Hashes (``_record_hash``): a record that lands in raw is hashed as it landed, the sha256
of its canonical line: its typed values in column order, in PostgreSQL COPY text form
(``canonical_line``), UTF-8. It is deterministic and independent of how the source
serialised the record (key order, whitespace, 12.50 vs 12.5); fields outside the
dataset's schema are not part of it. A quarantined record, which has no typed form, is
hashed by its canonical JSON (``record_hash``).

Besides its type, each value must keep to its field's limits (sources.schema: text
without NUL or lone surrogates and within ``max_length``, integers within bigint,
numerics within ``digits``, dates inside the plausible window); a record that breaks one
is quarantined with a reason naming the field, the value and the limit. The quarantine
keeps the record in a form jsonb can hold (``stored_json``).
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import reprlib
from datetime import date, datetime, timezone
from decimal import Decimal

from taza.load.pgcopy import copy_value
from taza.sources.http import UndecodableRecord
from taza.sources.schema import (BIGINT_MAX, BIGINT_MIN, EARLIEST_PLAUSIBLE, FUTURE_MARGIN, PLANNED_LATEST,
                                 Dataset, Field, plausible_window)

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# The quarantine's jsonb keeps a record's nesting down to this depth; deeper values are cut.
STORED_NESTING_LIMIT = 64
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel, _SHORT_REPR.maxstring, _SHORT_REPR.maxother = 3, 80, 80


class RecordError(ValueError):
    """The record does not fit the dataset's schema; the message is the quarantine reason."""


def record_hash(record) -> str:
    """sha256 of a record's canonical JSON: the hash of a record that does not type (of
    the bytes received for one no decoder could read; of its stored form for one nested
    too deep to serialise)."""
    if isinstance(record, UndecodableRecord):
        return hashlib.sha256(record.text).hexdigest()
    try:
        canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except RecursionError:
        canonical = stored_json(record)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def stored_json(record) -> str:
    """The record as JSON text that jsonb accepts: NUL characters and lone surrogates
    become U+FFFD, NaN and infinities become strings, nesting is cut at
    STORED_NESTING_LIMIT, and an undecodable record is kept as its reason and text."""
    return json.dumps(_storable(record, 0), ensure_ascii=False)


def _storable(value, depth: int):
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (dict, list)) and depth >= STORED_NESTING_LIMIT:
        return f"<nested deeper than {STORED_NESTING_LIMIT} levels: cut>"
    if isinstance(value, dict):
        return {_clean_text(str(k)): _storable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v, depth + 1) for v in value]
    if isinstance(value, UndecodableRecord):
        return {"undecodable": value.reason, "bytes": len(value.text),
                "text": _clean_text(value.text[:2000].decode("utf-8", "replace"))}
    return value


def _clean_text(text: str) -> str:
    if "\x00" in text or (not text.isascii() and LONE_SURROGATE.search(text)):
        return LONE_SURROGATE.sub("\ufffd", text.replace("\x00", "\ufffd"))
    return text


def canonical_line(values: tuple) -> str:
    """A typed record's canonical form: its values as one COPY text line (no newline)."""
    return "\t".join(map(copy_value, values))


def line_hash(line: str) -> str:
    """sha256 of a canonical line: the lineage key from a mart row to its source record."""
    return hashlib.sha256(line.encode()).hexdigest()


def _text(value):
    if not isinstance(value, str):
        raise TypeError("a string")
    return value


def _int(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("an integer")
    return value


def _numeric(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise TypeError("a finite number")
    return Decimal(str(value)) if isinstance(value, float) else value


def _month(value):
    if not isinstance(value, str) or len(value) != 7:
        raise TypeError("a month 'YYYY-MM'")
    return date.fromisoformat(value + "-01")


def _date(value):
    if not isinstance(value, str) or len(value) != 10:
        raise TypeError("a date 'YYYY-MM-DD'")
    return date.fromisoformat(value)


def _timestamp(value):
    if not isinstance(value, str):
        raise TypeError("an ISO-8601 timestamp with offset")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise TypeError("an ISO-8601 timestamp with offset")
    return parsed


def _bool(value):
    if not isinstance(value, bool):
        raise TypeError("true or false")
    return value


CONVERTERS = {"text": _text, "int": _int, "numeric": _numeric, "month": _month, "date": _date,
              "timestamp": _timestamp, "bool": _bool}


def _excerpt(value) -> str:
    """repr, cut to 80 characters, of any value (however deep)."""
    return (_SHORT_REPR.repr(value) if isinstance(value, (dict, list)) else repr(value))[:80]


def _out_of_limits(field: Field, value, typed, window: tuple[datetime, datetime]) -> str | None:
    """What is wrong with a value, as received and ``typed``, against its field's limits
    (see sources.schema)."""
    if field.type == "text":
        if "\x00" in value:
            return "holds a NUL character (\\u0000), which PostgreSQL text cannot store"
        if not value.isascii() and LONE_SURROGATE.search(value):
            return "holds a lone surrogate (\\ud800-\\udfff), which is not valid UTF-8"
        if len(value) > field.max_length:
            return f"{len(value)} characters, over the maximum of {field.max_length}: {value!r:.80}"
    elif field.type == "int":
        if not BIGINT_MIN <= value <= BIGINT_MAX:
            return f"{_excerpt(value)} is beyond bigint (-2^63 .. 2^63-1), the raw column's type"
    elif field.type == "numeric":
        limit = field.numeric_limit
        if limit is not None and abs(typed) >= limit:
            precision, scale = field.digits
            return (f"{_excerpt(value)} does not fit numeric({precision}, {scale}): "
                    f"|value| must round below 10^{precision - scale}")
    elif field.type in ("date", "month", "timestamp"):
        earliest, latest = window if field.type == "timestamp" else (window[0].date(), window[1].date())
        rule = f"not after landing + {FUTURE_MARGIN.days} days"
        if field.planned:
            latest, rule = PLANNED_LATEST.date(), f"a planned date: not after {PLANNED_LATEST.date()}"
        if not earliest <= typed <= latest:
            return (f"{value} is outside the plausible window [{earliest.isoformat()}, "
                    f"{latest.isoformat()}] (not before {EARLIEST_PLAUSIBLE.date()}, {rule})")
    return None


def _convert(field: Field, record: dict, window: tuple[datetime, datetime]):
    value = record.get(field.name)
    if value is None:
        if field.required:
            raise RecordError(f"missing required field '{field.name}'")
        return None
    try:
        typed = CONVERTERS[field.type](value)
    except (TypeError, ValueError) as err:
        expected = err.args[0] if isinstance(err, TypeError) else f"a valid {field.type}"
        raise RecordError(f"field '{field.name}': expected {expected}, got {_excerpt(value)}") from None
    problem = _out_of_limits(field, value, typed, window)
    if problem:
        raise RecordError(f"field '{field.name}': {problem}")
    return typed


def type_record(dataset: Dataset, record, landed_at: datetime | None = None) -> tuple:
    """The record's values in column order, typed; raises RecordError. Dates are checked
    against the plausible window of a landing at ``landed_at`` (default: now)."""
    if isinstance(record, UndecodableRecord):
        raise RecordError(record.reason)
    if not isinstance(record, dict):
        raise RecordError(f"expected a JSON object, got {type(record).__name__}")
    window = plausible_window(landed_at or datetime.now(timezone.utc))
    return tuple(_convert(f, record, window) for f in dataset.fields)


def missing_everywhere(dataset: Dataset, records: list) -> list[str]:
    """Required fields absent from every record of a page: a schema change, not bad rows."""
    if not any(isinstance(r, dict) for r in records):
        return []
    # Stops at the first record holding each field: a few lookups per page, not one per record.
    return [f.name for f in dataset.fields
            if f.required and not any(isinstance(r, dict) and f.name in r for r in records)]
