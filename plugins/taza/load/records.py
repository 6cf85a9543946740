"""Typing one source record against its dataset's fields, and its lineage hash.

A record either becomes a tuple of typed values in the raw table's column order, or
raises RecordError with a reason that the quarantine keeps next to the original.

Hashes (``_record_hash``): a record that lands in raw is hashed as it landed, the sha256
of its canonical line: its typed values in column order, in PostgreSQL COPY text form
(``canonical_line``), UTF-8. It is deterministic and independent of how the source
serialised the record (key order, whitespace, 12.50 vs 12.5); fields outside the
dataset's schema are not part of it. A quarantined record, which has no typed form, is
hashed by its canonical JSON (``record_hash``).
"""
from __future__ import annotations

import hashlib
import json
import math
from datetime import date, datetime
from decimal import Decimal

from taza.load.pgcopy import copy_value
from taza.sources.schema import Dataset, Field


class RecordError(ValueError):
    """The record does not fit the dataset's schema; the message is the quarantine reason."""


def record_hash(record) -> str:
    """sha256 of a record's canonical JSON: the hash of a record that does not type."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


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


def _convert(field: Field, record: dict):
    value = record.get(field.name)
    if value is None:
        if field.required:
            raise RecordError(f"missing required field '{field.name}'")
        return None
    try:
        return CONVERTERS[field.type](value)
    except (TypeError, ValueError) as err:
        expected = err.args[0] if isinstance(err, TypeError) else f"a valid {field.type}"
        raise RecordError(f"field '{field.name}': expected {expected}, got {value!r:.80}") from None


def type_record(dataset: Dataset, record) -> tuple:
    """The record's values in column order, typed; raises RecordError."""
    if not isinstance(record, dict):
        raise RecordError(f"expected a JSON object, got {type(record).__name__}")
    return tuple(_convert(f, record) for f in dataset.fields)


def missing_everywhere(dataset: Dataset, records: list) -> list[str]:
    """Required fields absent from every record of a page: a schema change, not bad rows."""
    if not any(isinstance(r, dict) for r in records):
        return []
    # Stops at the first record holding each field: a few lookups per page, not one per record.
    return [f.name for f in dataset.fields
            if f.required and not any(isinstance(r, dict) and f.name in r for r in records)]
