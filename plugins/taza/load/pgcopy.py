"""Rows into PostgreSQL with COPY (text format), streamed: no batch is held in memory."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

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


def copy_line(values: Sequence) -> str:
    """One COPY text line, newline included."""
    return "\t".join(map(copy_value, values)) + "\n"


class _ChunkReader:
    """The file-like object ``copy_expert`` reads: each read() returns the next chunk of
    COPY text whole, so PostgreSQL works on one chunk while the next one is produced.
    An error raised while producing is kept, to be re-raised as it was."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks: Iterator[bytes] = iter(chunks)
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        try:
            for chunk in self._chunks:
                if chunk:
                    return chunk
            return b""
        except BaseException as err:
            self.error = err
            raise


def copy_stream(cursor, table: str, columns: Sequence[str], chunks: Iterable[bytes]) -> None:
    """COPY the text ``chunks`` (whole lines each) into ``table`` as one statement."""
    reader = _ChunkReader(chunks)
    try:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", reader)
    except BaseException:
        if reader.error is not None:  # psycopg2 reports it as a failed COPY: raise the cause
            raise reader.error from None
        raise
