"""Move the rows that fail row-scope expectations to quarantine, in SQL.

The failing rows are found by the expectation's own condition, run in the database:
GX's ``unexpected_index_query`` for column-map expectations, the suite's query for
``unexpected_rows_expectation``. Rows stay in raw (append-only); a copy goes to
``quarantine.<dataset>`` with stage 'validation', and staging skips it (dbt macro
current_records matches on batch and record hash). ``audit.batch`` moves the rows from
loaded to quarantined in the same transaction, so received = loaded + quarantined holds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from psycopg2 import sql

from taza.quality.gx_runner import INDEX_COLUMN
from taza.quality.suites import UNEXPECTED_ROWS, expectation_label
from taza.sources.schema import PROVENANCE_COLUMNS, Dataset

_JOIN = re.compile(r"\bjoin\b", re.IGNORECASE)


@dataclass(frozen=True)
class FailingRows:
    """The rows of one batch failing one expectation: a query yielding _record_hash and a reason."""

    position: int
    expectation: str
    query: sql.Composable


def _columns(expectation: dict) -> list[str]:
    kwargs = expectation["kwargs"]
    if "column" in kwargs:
        return [kwargs["column"]]
    if "column_A" in kwargs:
        return [kwargs["column_A"], kwargs["column_B"]]
    return list(kwargs.get("column_list", []))


def substitute_batch(query: str, asset_query: str) -> str:
    """``{batch}`` of an unexpected-rows query, filled as GX fills it for a query asset."""
    batch = f"({asset_query})" if _JOIN.search(query) else f"({asset_query}) AS subselect"
    return query.format(batch=batch)


def repair_index_query(index_query: str, asset_query: str) -> str:
    """GX 1.24 renders a query asset into ``unexpected_index_query`` without parentheses
    (``FROM SELECT * FROM ... WHERE ...``); put the asset back in a derived table."""
    query = index_query.strip().rstrip(";")
    broken = f"FROM {asset_query}"
    if broken in query and f"FROM ({asset_query})" not in query:
        query = query.replace(broken, f"FROM ({asset_query}) AS batch_rows", 1)
    return query


def failing_rows(position: int, expectation: dict, result: dict, asset_query: str) -> FailingRows:
    """The SQL selecting the failing rows of a failed row-scope expectation, with a reason each."""
    label = expectation_label(expectation)
    why = (expectation.get("meta") or {}).get("why")
    if expectation["type"] == UNEXPECTED_ROWS:
        source = substitute_batch(expectation["kwargs"]["unexpected_rows_query"], asset_query)
        reason = sql.Literal(f"{label}: {why or 'the row is returned by the check query'}")
    else:
        source = repair_index_query(result["unexpected_index_query"], asset_query)
        values = [sql.SQL("{} || ' = ' || coalesce({}::text, 'null')").format(
            sql.Literal(column), sql.SQL("failing.") + sql.Identifier(column)) for column in _columns(expectation)]
        unit = (expectation.get("meta") or {}).get("unit")
        suffix = f" ({unit})" if unit else ""
        reason = sql.SQL("{} || ': ' || {} || {}").format(
            sql.Literal(label), sql.SQL(" || ', ' || ").join(values) if values else sql.Literal("failed"),
            sql.Literal(suffix))
    query = sql.SQL("SELECT failing.{index} AS record_hash, {reason} AS reason FROM ({source}) AS failing").format(
        index=sql.Identifier(INDEX_COLUMN), reason=reason, source=sql.SQL(source))
    return FailingRows(position, label, query)


def quarantine(cursor, dataset: Dataset, batch_id: str, failing: list[FailingRows]) -> int:
    """Copy the failing rows of ``batch_id`` to quarantine (once per record, every failed
    expectation named) and move their count from loaded to quarantined; returns it."""
    if not failing:
        return 0
    union = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT record_hash, {pos} AS position, {label} AS expectation, reason FROM ({q}) AS f{pos}").format(
            pos=sql.Literal(f.position), label=sql.Literal(f.expectation), q=f.query) for f in failing)
    provenance = sql.SQL(" - ").join(sql.Literal(c) for c in PROVENANCE_COLUMNS)
    raw, quarantined = (sql.SQL(t) for t in (dataset.raw_table, dataset.quarantine_table))
    cursor.execute(sql.SQL("""
        WITH failing AS (
            SELECT record_hash,
                   string_agg(expectation, '; ' ORDER BY position) AS expectation,
                   string_agg(reason, '; ' ORDER BY position) AS reason
            FROM ({union}) AS each_failure
            GROUP BY record_hash
        )
        INSERT INTO {quarantined} (_batch_id, _loaded_at, _source_url, _record_hash, reason, record,
                                   stage, expectation)
        SELECT raw_rows._batch_id, raw_rows._loaded_at, raw_rows._source_url, raw_rows._record_hash,
               failing.reason, to_jsonb(raw_rows) - {provenance}, 'validation', failing.expectation
        FROM {raw} AS raw_rows
        JOIN failing ON failing.record_hash = raw_rows._record_hash
        WHERE raw_rows._batch_id = {batch_id}
          AND NOT EXISTS (SELECT 1 FROM {quarantined} AS already
                          WHERE already.stage = 'validation' AND already._batch_id = raw_rows._batch_id
                            AND already._record_hash = raw_rows._record_hash)
    """).format(union=union, quarantined=quarantined, raw=raw, provenance=provenance,
                batch_id=sql.Literal(batch_id)))
    moved = cursor.rowcount
    cursor.execute("""UPDATE audit.batch SET loaded_count = loaded_count - %s,
                                             quarantined_count = quarantined_count + %s
                      WHERE batch_id = %s""", (moved, moved, batch_id))
    return moved
