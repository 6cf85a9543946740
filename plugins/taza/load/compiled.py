"""Per-dataset record converters, compiled once, for the high-volume landing path.

``type_record`` dispatches per field through a generic converter table and
``copy_value``; at telemetry volume that costs several microseconds a field. A
``CompiledConverter`` generates one Python function per dataset (see ``source``) that
reads every field, checks its type inline and formats the record's COPY text line in
one f-string, with parsed dates and timestamps cached by their text.

It never decides that a record is bad: whenever a value is not of the plain, common
shape or may break a limit (wrong type, a missing or null required field, a float with
an exponent or beyond the field's digits, an integer beyond bigint, a text needing COPY
escapes or holding NUL or a lone surrogate, texts longer together than the shortest
``max_length``, an unparsable date or one outside the plausible window...), it hands the
record to the generic ``type_record`` path, which types it or raises the same
RecordError as before. So both paths give the same line, key and period for every
record (tests/unit/test_compiled_converter.py checks this field type by field type).
"""
from __future__ import annotations

import math
from datetime import date, datetime, timezone
from decimal import Decimal

from taza.load.records import LONE_SURROGATE, canonical_line, type_record
from taza.sources.schema import BIGINT_MAX, BIGINT_MIN, PLANNED_LATEST, Dataset, Field, plausible_window

# A parse cache holds at most this many distinct date/timestamp texts, then starts over.
_CACHE_LIMIT = 8192


def _timestamp(text: str):
    """(datetime, COPY text), or None when the generic path must decide."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return None if parsed.tzinfo is None else (parsed, parsed.isoformat())


def _date(text: str):
    if len(text) != 10:
        return None
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        return None
    return parsed, parsed.isoformat()


def _month(text: str):
    return _date(text + "-01") if len(text) == 7 else None


_PARSERS = {"timestamp": _timestamp, "date": _date, "month": _month}


def _window_kind(field: Field) -> str:
    """Which upper bound a date-like field keeps to: ``planned_date`` or its own type's."""
    return "planned_date" if field.planned else field.type


def _field_code(i: int, field: Field, typed: bool) -> tuple[list[str], str]:
    """Statements that set ``t<i>`` (COPY text) and, if ``typed``, ``k<i>`` (the typed
    value) from ``v<i>``, or return None from the function when the generic path must
    decide; and the name holding the text."""
    v, t, k = f"v{i}", f"t{i}", f"k{i}"
    if field.type == "text" and field.required:
        return [f"if type({v}) is not str: return None"], v
    if field.type in ("text", "int"):
        code = ([f"if type({v}) is not str: return None", f"{t} = {v}"] if field.type == "text" else
                [f"if type({v}) is not int or not BIGINT_MIN <= {v} <= BIGINT_MAX: return None",
                 f"{t} = repr({v})"])
    elif field.type == "numeric":
        # An int stays an int; a float becomes Decimal(str(v)), whose text is repr(v) as
        # long as repr does not switch to an exponent (below 1e-4 or from 1e16 on) and
        # the float is finite: other floats, and values at or beyond the field's digits,
        # are left to the generic path.
        bound = repr(min(1e16, float(field.numeric_limit or 1e16)))
        int_bound = 10**16 if field.numeric_limit is None else math.ceil(field.numeric_limit) - 1
        code = [f"if type({v}) is float:",
                f"    if not (1e-4 <= {v} < {bound} or -{bound} < {v} <= -1e-4 or {v} == 0.0): return None",
                f"elif type({v}) is not int or not -{int_bound} <= {v} <= {int_bound}: return None"]
        if field.required:  # repr is taken inside the line's f-string
            t = f"{v}!r"
        else:
            code.append(f"{t} = repr({v})")
    elif field.type == "bool":
        code = [f"if {v} is True: {t} = 't'", f"elif {v} is False: {t} = 'f'", "else: return None"]
    elif field.type in _PARSERS:
        kind = _window_kind(field)  # a planned date has its own bound, so its own cache
        cache = f"{kind}_cache"
        code = [f"if type({v}) is not str: return None",
                f"parsed = {cache}.get({v})",
                "if parsed is None:",
                f"    parsed = parse_{field.type}({v})",
                f"    if parsed is None or not earliest_{field.type} <= parsed[0] <= latest_{kind}: return None",
                f"    if len({cache}) >= CACHE_LIMIT: {cache}.clear()",
                f"    {cache}[{v}] = parsed",
                f"{k}, {t} = parsed"]
    else:
        raise ValueError(f"no compiled conversion for field type {field.type!r}")
    if typed and field.type not in _PARSERS:
        code.append(f"{k} = {v}")  # numeric floats: see _typed
    if field.required:
        return code, t
    return [f"if {v} is None:", f"    {t} = '\\\\N'", f"    {k} = None", "else:",
            *(f"    {line}" for line in code)], t


def _typed(i: int, field: Field) -> str:
    """Expression of field i's typed value (as type_record gives it), after _field_code ran."""
    if field.type == "numeric":  # a float's Decimal is made only where it is needed
        return f"(Decimal(repr(v{i})) if type(v{i}) is float else k{i})"
    return f"v{i}" if field.type == "text" and field.required else f"k{i}"


def _source(dataset: Dataset) -> str:
    fields = dataset.fields
    positions = {f.name: i for i, f in enumerate(fields)}
    # Required fields by subscript (a missing one is a KeyError: the generic path decides),
    # optional ones with get.
    body = ["try:", *(f"    v{i} = record[{f.name!r}]" for i, f in enumerate(fields) if f.required),
            "except KeyError: return None",
            *(f"v{i} = record.get({f.name!r})" for i, f in enumerate(fields) if not f.required)]
    texts = []
    for i, field in enumerate(fields):
        code, text = _field_code(i, field, field.name in dataset.natural_key or field.name == dataset.period_field)
        body += code
        texts.append(text)
    # Text values go in unescaped: a text holding a character COPY escapes, a NUL or a lone
    # surrogate goes the generic way, as do texts longer together than the shortest limit
    # (isascii is O(1): the surrogate search runs only on non-ASCII text).
    strings = [f"v{i}" if f.required else f'(v{i} or "")' for i, f in enumerate(fields) if f.type == "text"]
    if strings:
        shortest = min(f.max_length for f in fields if f.type == "text")
        body.append("joined = f'" + "".join("{" + v + "}" for v in strings) + "'")
        body.append("if '\\\\' in joined or '\\t' in joined or '\\n' in joined or '\\r' in joined"
                    " or '\\x00' in joined: return None")
        body.append(f"if len(joined) > {shortest} or not joined.isascii() and SURROGATE.search(joined): return None")
    body.append("line = f'" + "\\t".join("{" + t + "}" for t in texts) + "'")
    key = ", ".join(_typed(positions[name], fields[positions[name]]) for name in dataset.natural_key)
    period = (_typed(positions[dataset.period_field], fields[positions[dataset.period_field]])
              if dataset.period_field else "None")
    body.append(f"return line, ({key},), {period}")
    kinds = sorted({_window_kind(f) for f in fields if f.type in _PARSERS})
    caches = "".join(f"    {kind}_cache = {{}}\n" for kind in kinds)
    return (f"def make_convert():\n{caches}"
            f"    def convert(record):\n        if type(record) is not dict: return None\n"
            + "".join(f"        {line}\n" for line in body)
            + "    return convert\n")


class CompiledConverter:
    """``convert(record)`` -> (COPY text line of the dataset's fields, natural key,
    period value), typed exactly as ``type_record`` types them for a landing at
    ``landed_at`` (default: now); raises RecordError."""

    def __init__(self, dataset: Dataset, landed_at: datetime | None = None):
        self.dataset = dataset
        self.landed_at = landed_at or datetime.now(timezone.utc)
        self.source = _source(dataset)
        earliest, latest = plausible_window(self.landed_at)
        namespace = {"Decimal": Decimal, "CACHE_LIMIT": _CACHE_LIMIT, "SURROGATE": LONE_SURROGATE,
                     "BIGINT_MIN": BIGINT_MIN, "BIGINT_MAX": BIGINT_MAX,
                     "earliest_timestamp": earliest, "latest_timestamp": latest,
                     **{f"{bound}_{kind}": value.date() for kind in ("date", "month")
                        for bound, value in (("earliest", earliest), ("latest", latest))},
                     "latest_planned_date": PLANNED_LATEST.date(),
                     **{f"parse_{kind}": parse for kind, parse in _PARSERS.items()}}
        exec(compile(self.source, f"<compiled converter {dataset.name}>", "exec"), namespace)
        # fast(record): the compiled path; None when the generic path must decide.
        self.fast = namespace["make_convert"]()
        self._key_positions = [dataset.column_names.index(k) for k in dataset.natural_key]
        self._period_position = (dataset.column_names.index(dataset.period_field)
                                 if dataset.period_field else None)

    def convert(self, record) -> tuple[str, tuple, object]:
        return self.fast(record) or self.convert_generic(record)

    def convert_generic(self, record) -> tuple[str, tuple, object]:
        """The reference path: type_record and copy_value, field by field."""
        values = type_record(self.dataset, record, self.landed_at)
        period = values[self._period_position] if self._period_position is not None else None
        return canonical_line(values), tuple(values[i] for i in self._key_positions), period

