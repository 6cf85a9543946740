"""What the data-quality report shows, read from audit.*, quarantine.* and the marts.

Every function takes a cursor and returns plain rows or dicts; the page is rendered by
taza.reports.quality_report. Tables that do not exist yet (a dataset never landed, a mart
not built) are skipped, so the report renders on an empty warehouse too.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from psycopg2 import sql

from taza.config import DBT_MANIFEST

LINEAGE_SAMPLE_HASHES = 3
KPI_BUILDS_SHOWN = 20


def tables_in(cursor, schema: str) -> list[str]:
    cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1", (schema,))
    return [name for (name,) in cursor.fetchall()]


def columns_of(cursor, schema: str, table: str) -> list[str]:
    cursor.execute("""SELECT column_name FROM information_schema.columns
                      WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position""", (schema, table))
    return [name for (name,) in cursor.fetchall()]


def _quarantine_counts_sql(cursor) -> sql.Composable:
    """Per batch: records quarantined at landing and at validation, over every quarantine table."""
    parts = [sql.SQL("SELECT _batch_id, stage FROM {}").format(sql.Identifier("quarantine", name))
             for name in tables_in(cursor, "quarantine")]
    if not parts:
        return sql.SQL("SELECT NULL::text AS _batch_id, 0::bigint AS landing, 0::bigint AS validation WHERE false")
    return sql.SQL("""SELECT _batch_id, count(*) FILTER (WHERE stage = 'landing') AS landing,
                             count(*) FILTER (WHERE stage = 'validation') AS validation
                      FROM ({}) AS quarantined GROUP BY _batch_id""").format(sql.SQL(" UNION ALL ").join(parts))


def kpi_builds(cursor, limit: int = KPI_BUILDS_SHOWN) -> list[dict]:
    """The newest KPI builds (audit.kpi_build, taza.pipeline.kpi_refresh), newest first."""
    cursor.execute("SELECT to_regclass('audit.kpi_build') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return []
    cursor.execute("""SELECT build_id, run_id, started_at, succeeded_at, is_full, cause,
                             cardinality(rebuilt_nodes) AS nodes_built, changed_datasets, missing_relations
                      FROM audit.kpi_build ORDER BY build_id DESC LIMIT %s""", (limit,))
    names = [d.name for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def batches(cursor) -> list[dict]:
    """Every batch with its counts, quarantine split and latest validation run."""
    cursor.execute(sql.SQL("""
        SELECT batch.dataset, batch.interval_start, batch.interval_end, batch.batch_id, batch.status,
               coalesce(batch.received_count, 0) AS received, coalesce(batch.loaded_count, 0) AS loaded,
               coalesce(batch.quarantined_count, 0) AS quarantined,
               coalesce(quarantined.landing, 0) AS quarantined_landing,
               coalesce(quarantined.validation, 0) AS quarantined_validation,
               CASE WHEN batch.status = 'rejected' THEN coalesce(batch.loaded_count, 0) ELSE 0 END AS rejected,
               batch.loaded_at, batch.validated_at, batch.message, batch.source_url, batch.run_id,
               run.critical_failed, run.warning_failed
        FROM audit.batch AS batch
        LEFT JOIN ({quarantine}) AS quarantined ON quarantined._batch_id = batch.batch_id
        LEFT JOIN LATERAL (SELECT critical_failed, warning_failed FROM audit.validation_run AS run
                           WHERE run.batch_id = batch.batch_id ORDER BY finished_at DESC LIMIT 1) AS run ON true
        ORDER BY batch.dataset, batch.interval_start, batch.loaded_at
    """).format(quarantine=_quarantine_counts_sql(cursor)))
    names = [d.name for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def failed_expectations(cursor, sample_records: int = 3) -> list[dict]:
    """Each failed expectation of each batch's latest validation, with sample records:
    the quarantined records for row-scope ones, GX's sample otherwise."""
    cursor.execute("""
        SELECT batch.dataset, batch.interval_start, batch.batch_id, batch.status, result.position,
               result.expectation, result.expectation_type, result.column_name, result.kwargs, result.severity, result.scope,
               result.observed_value, result.unexpected_count, result.unexpected_percent,
               result.quarantined_count, result.sample
        FROM audit.batch AS batch
        JOIN LATERAL (SELECT run_id FROM audit.validation_run AS run WHERE run.batch_id = batch.batch_id
                      ORDER BY finished_at DESC LIMIT 1) AS latest ON true
        JOIN audit.validation_result AS result ON result.run_id = latest.run_id
        WHERE NOT result.success
        ORDER BY batch.dataset, batch.interval_start, result.severity, result.position
    """)
    names = [d.name for d in cursor.description]
    failures = [dict(zip(names, row)) for row in cursor.fetchall()]
    quarantine_tables = set(tables_in(cursor, "quarantine"))
    for failure in failures:
        failure["records"] = []
        if failure["scope"] == "row" and failure["quarantined_count"] and failure["dataset"] in quarantine_tables:
            cursor.execute(sql.SQL("""SELECT _record_hash, reason, record FROM {} WHERE _batch_id = %s
                                      AND stage = 'validation' AND position(%s in expectation) > 0
                                      ORDER BY _record_hash LIMIT %s""").format(
                sql.Identifier("quarantine", failure["dataset"])), (failure["batch_id"], failure["expectation"], sample_records))
            failure["records"] = [dict(zip(("record_hash", "reason", "record"), r)) for r in cursor.fetchall()]
    return failures


def landing_reasons(cursor) -> list[tuple]:
    """Why records were quarantined, per dataset and stage: the reason's leading clause, counted."""
    parts = [sql.SQL("SELECT {name} AS dataset, stage, split_part(reason, ':', 1) AS reason FROM {table}").format(
        name=sql.Literal(name), table=sql.Identifier("quarantine", name)) for name in tables_in(cursor, "quarantine")]
    if not parts:
        return []
    cursor.execute(sql.SQL("""SELECT dataset, stage, reason, count(*) FROM ({}) AS reasons
                              GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC""").format(sql.SQL(" UNION ALL ").join(parts)))
    return cursor.fetchall()


@dataclass
class KpiLineage:
    """A KPI table, its figures, and per figure the batches (and records) it was built from;
    without lineage, ``note`` says why (a message key of taza.reports.i18n)."""

    table: str
    staging: list[str]
    columns: list[str]
    figures: list[tuple]
    batches_by_year: dict[int | None, list[dict]] = field(default_factory=dict)
    note: str | None = None


def _manifest(path: Path = DBT_MANIFEST) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


def _upstream_staging(manifest: dict, node_id: str) -> list[str]:
    """The staging models (they carry _batch_id and _record_hash) a model is built from."""
    found, stack, seen = [], [node_id], set()
    while stack:
        current = stack.pop()
        if current in seen or current not in manifest["nodes"]:
            continue
        seen.add(current)
        node = manifest["nodes"][current]
        if node.get("schema") == "staging" and node["resource_type"] == "model":
            found.append(node.get("alias") or node["name"])
            continue
        stack.extend(node.get("depends_on", {}).get("nodes", []))
    return sorted(set(found))


def kpi_lineage(cursor, manifest_path: Path = DBT_MANIFEST, max_figures: int = 12) -> list[KpiLineage]:
    """For each marts.kpi_* table: its figures and the batches behind them, through the staging
    models upstream of it (dbt manifest) or its own _batch_id column. A table with a
    ``lineage_batch_ids`` column reads only the feeds its rows name: ``kpi_trees_planted`` is a
    slice of the scorecard, whose model reads every feed, but its figures come from one."""
    manifest = _manifest(manifest_path)
    marts = tables_in(cursor, "marts")
    staging = set(tables_in(cursor, "staging"))
    batches_of: dict[tuple, dict] = {}  # tables with the same feeds (scorecard, its history) share one scan
    lineages = []
    for table in (t for t in marts if t.startswith("kpi_")):
        columns = columns_of(cursor, "marts", table)
        sources: list[str] = []
        if manifest:
            node_id = next((key for key, node in manifest["nodes"].items() if node["resource_type"] == "model"
                            and (node.get("alias") or node["name"]) == table), None)
            sources = [s for s in _upstream_staging(manifest, node_id) if s in staging] if node_id else []
        if sources and "lineage_batch_ids" in columns:
            feeds = _lineage_datasets(cursor, table)
            sources = [s for s in sources if s.removeprefix("stg_") in feeds]
        own_batches = "_batch_id" in columns
        lineage = KpiLineage(table, sources, columns, _figures(cursor, table, columns, max_figures))
        if not sources and not own_batches:
            lineage.note = "lineage.no_lineage" if manifest else "lineage.no_manifest"
        else:
            key = tuple(sources) or (table,)
            if key not in batches_of:
                relations = [sql.Identifier("staging", s) for s in sources] or [sql.Identifier("marts", table)]
                batches_of[key] = _batches_by_year(cursor, relations)
            lineage.batches_by_year = batches_of[key]
        lineages.append(lineage)
    return lineages


def _lineage_datasets(cursor, table: str) -> set[str]:
    """The datasets (``<source>__<entity>``) of the batches a KPI table's rows name."""
    cursor.execute(sql.SQL("""SELECT DISTINCT batch.dataset
                              FROM (SELECT DISTINCT unnest(lineage_batch_ids) AS batch_id FROM {}) AS named
                              JOIN audit.batch AS batch ON batch.batch_id = named.batch_id""").format(
        sql.Identifier("marts", table)))
    return {dataset for (dataset,) in cursor.fetchall()}


def _figures(cursor, table: str, columns: list[str], limit: int) -> list[tuple]:
    """The KPI's headline figures: national rows when the table has a scope, newest years first."""
    where = sql.SQL("WHERE scope = 'national'") if "scope" in columns else sql.SQL("")
    order = [sql.Identifier(c) for c in ("year", "period_month", "programme") if c in columns]
    order_by = sql.SQL("ORDER BY ") + sql.SQL(", ").join(
        (sql.SQL("{} DESC").format(o) if i == 0 else o) for i, o in enumerate(order)) if order else sql.SQL("")
    cursor.execute(sql.SQL("SELECT * FROM {} {} {} LIMIT %s").format(
        sql.Identifier("marts", table), where, order_by), (limit,))
    return cursor.fetchall()


def _batches_by_year(cursor, relations: list[sql.Composable]) -> dict[int | None, list[dict]]:
    """The batches the relations read, by the year of their interval, with the OpenLineage runs that
    landed and judged them and the records used (count, source URLs, a few record hashes and a
    sha256 over all of them, sorted)."""
    union = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT _batch_id, _source_url, _record_hash FROM {}").format(r) for r in relations)
    # The hash aggregates share one sort by (batch, hash); the source URLs are made distinct by
    # hashing. One GROUP BY with array_agg(DISTINCT ...) sorted the rows three times (a month of
    # telemetry, 0.9 M rows: 11.8 s -> about 4 s, session 10).
    cursor.execute(sql.SQL("""
        WITH used AS NOT MATERIALIZED ({union}),
        hashes AS (
            SELECT _batch_id, count(*) AS records,
                   (array_agg(_record_hash ORDER BY _record_hash))[1:{sample}] AS sample_hashes,
                   encode(sha256(convert_to(string_agg(_record_hash, '' ORDER BY _record_hash), 'UTF8')),
                          'hex') AS hashes_sha256
            FROM used
            GROUP BY _batch_id
        ),
        urls AS (
            SELECT _batch_id, array_agg(_source_url ORDER BY _source_url) AS source_urls
            FROM (SELECT DISTINCT _batch_id, _source_url FROM used) AS distinct_urls
            GROUP BY _batch_id
        )
        SELECT extract(year FROM batch.interval_start AT TIME ZONE 'UTC')::int AS year,
               batch.dataset, batch.batch_id, batch.interval_start, batch.interval_end, batch.status,
               batch.land_lineage_run_id::text, batch.gate_lineage_run_id::text,
               hashes.records, urls.source_urls, hashes.sample_hashes, hashes.hashes_sha256
        FROM hashes
        JOIN urls USING (_batch_id)
        JOIN audit.batch AS batch ON batch.batch_id = hashes._batch_id
        ORDER BY 1 DESC, 2, 4
    """).format(union=union, sample=sql.Literal(LINEAGE_SAMPLE_HASHES)))
    names = [d.name for d in cursor.description]
    by_year: dict[int | None, list[dict]] = {}
    for row in cursor.fetchall():
        record = dict(zip(names, row))
        by_year.setdefault(record["year"], []).append(record)
    return by_year
