"""Rows into PostgreSQL with COPY (text format), a page at a time."""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def copy_rows(cursor, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY ``rows`` into ``table``; returns how many went in."""
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(map(copy_value, row)))
        buffer.write("\n")
        count += 1
    if count:
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    return count
