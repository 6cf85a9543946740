"""Landing one (dataset, interval) batch in the raw layer.

Every record received is accounted for: typed records go to ``raw.<dataset>``, the rest
to ``quarantine.<dataset>`` with the reason, and ``audit.batch`` records
received = loaded + quarantined with a sha256 of the bytes received. Raw is
append-only; a rerun lands a new batch and staging reads the newest validated one.
"""
from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from taza.load.pgcopy import copy_rows
from taza.load.records import RecordError, missing_everywhere, record_hash, type_record
from taza.sources.schema import PG_TYPES, PROVENANCE_COLUMNS, Dataset
from taza.sources.http import Page, SourceError
from taza.warehouse.connection import connect

log = logging.getLogger(__name__)

QUARANTINE_COLUMNS = ("_batch_id", "_loaded_at", "_source_url", "_record_hash", "reason", "record")
# Where a record was quarantined: 'landing' (it never reached raw) or 'validation' (it is in
# raw, failed a row-level expectation, and staging excludes it; see macro current_records).
QUARANTINE_STAGES = ("landing", "validation")


@dataclass(frozen=True)
class BatchResult:
    batch_id: str
    dataset: str
    interval_start: datetime
    interval_end: datetime
    received: int
    loaded: int
    quarantined: int
    sha256: str

    def as_dict(self) -> dict:
        return {**self.__dict__, "interval_start": self.interval_start.isoformat(),
                "interval_end": self.interval_end.isoformat()}


def ensure_tables(cursor, dataset: Dataset) -> None:
    columns = ",\n  ".join(f"{f.name} {PG_TYPES[f.type]}" for f in dataset.fields)
    cursor.execute(f"""
        CREATE TABLE IF NOT EXISTS {dataset.raw_table} (
          {columns},
          _batch_id text NOT NULL,
          _loaded_at timestamptz NOT NULL,
          _source_url text NOT NULL,
          _record_hash text NOT NULL
        );
        CREATE INDEX IF NOT EXISTS {dataset.name}__batch_idx ON {dataset.raw_table} (_batch_id);
        CREATE TABLE IF NOT EXISTS {dataset.quarantine_table} (
          _batch_id text NOT NULL,
          _loaded_at timestamptz NOT NULL,
          _source_url text NOT NULL,
          _record_hash text NOT NULL,
          reason text NOT NULL,
          record jsonb NOT NULL,
          stage text NOT NULL DEFAULT 'landing' CHECK (stage IN ('landing', 'validation')),
          expectation text  -- the failed expectation, for stage 'validation'
        );
        ALTER TABLE {dataset.quarantine_table}
          ADD COLUMN IF NOT EXISTS stage text NOT NULL DEFAULT 'landing',
          ADD COLUMN IF NOT EXISTS expectation text;
        CREATE INDEX IF NOT EXISTS {dataset.name}__q_batch_idx ON {dataset.quarantine_table} (_batch_id);
    """)


class _BatchWriter:
    """Types, deduplicates and COPYs one batch's pages; counts and hashes what arrived."""

    def __init__(self, cursor, dataset: Dataset, batch_id: str, loaded_at: datetime):
        self.cursor, self.dataset, self.batch_id, self.loaded_at = cursor, dataset, batch_id, loaded_at
        self.sha = hashlib.sha256()
        self.received = self.loaded = self.quarantined = 0
        self.high_watermark = None  # the newest period value loaded
        self._seen_keys: dict[tuple, str] = {}
        self._previous_page_keys: dict[tuple, str] = {}
        self._key_positions = [dataset.column_names.index(k) for k in dataset.natural_key]
        self._period_position = (dataset.column_names.index(dataset.period_field)
                                 if dataset.period_field else None)

    def write_page(self, page: Page) -> None:
        self.sha.update(page.body)
        if self.dataset.request == "watermark":
            # A time-ordered cursor feed can only repeat a record across adjacent pages, so
            # remembering two pages of keys keeps memory flat however long the batch is.
            self._previous_page_keys, self._seen_keys = self._seen_keys, {}
        missing = missing_everywhere(self.dataset, page.records)
        if missing:
            raise SourceError(
                f"{self.dataset.name}: GET {page.url}: schema change, no record on page {page.number} "
                f"has the required field(s) {missing}; fields received: "
                f"{sorted(set().union(*(r.keys() for r in page.records if isinstance(r, dict))))}")
        good, bad = [], []
        for record in page.records:
            self.received += 1
            digest = record_hash(record) if isinstance(record, dict) else hashlib.sha256(
                json.dumps(record).encode()).hexdigest()
            try:
                values = type_record(self.dataset, record)
                self._check_unique(values, digest)
            except RecordError as err:
                bad.append((self.batch_id, self.loaded_at, page.url, digest, str(err),
                            json.dumps(record, ensure_ascii=False)))
                continue
            good.append((*values, self.batch_id, self.loaded_at, page.url, digest))
            if self._period_position is not None:
                period = values[self._period_position]
                if period is not None and (self.high_watermark is None or period > self.high_watermark):
                    self.high_watermark = period
        self.loaded += copy_rows(self.cursor, self.dataset.raw_table,
                                 (*self.dataset.column_names, *PROVENANCE_COLUMNS), good)
        self.quarantined += copy_rows(self.cursor, self.dataset.quarantine_table, QUARANTINE_COLUMNS, bad)

    def _check_unique(self, values: tuple, digest: str) -> None:
        key = tuple(values[i] for i in self._key_positions)
        first = self._seen_keys.get(key) or self._previous_page_keys.get(key)
        if first is not None:
            kind = "an identical record" if first == digest else "a different record"
            raise RecordError(f"duplicate natural key {dict(zip(self.dataset.natural_key, map(str, key)))}: "
                              f"{kind} with this key was already received in this batch")
        self._seen_keys[key] = digest


def _as_timestamp(value):
    """Period values are years, dates or timestamps; audit.batch keeps them as timestamptz."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, int):
        return datetime(value, 1, 1, tzinfo=timezone.utc)
    return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)


def land_batch(url: str, dataset: Dataset, pages: Iterable[Page], interval_start: datetime,
               interval_end: datetime, source_url: str, dag_id: str | None = None,
               run_id: str | None = None) -> BatchResult:
    """Stream ``pages`` into a new batch; marks it 'loaded', or 'failed' and re-raises."""
    batch_id = uuid.uuid4().hex
    loaded_at = datetime.now(timezone.utc)
    with connect(url) as conn, conn.cursor() as cur:
        ensure_tables(cur, dataset)
        cur.execute("""INSERT INTO audit.batch (batch_id, dataset, interval_start, interval_end,
                                                source_url, status, dag_id, run_id)
                       VALUES (%s, %s, %s, %s, %s, 'loading', %s, %s)""",
                    (batch_id, dataset.name, interval_start, interval_end, source_url, dag_id, run_id))
    try:
        with connect(url) as conn, conn.cursor() as cur:
            writer = _BatchWriter(cur, dataset, batch_id, loaded_at)
            for page in pages:
                writer.write_page(page)
            cur.execute("""UPDATE audit.batch SET status = 'loaded', loaded_at = %s,
                                  received_count = %s, loaded_count = %s, quarantined_count = %s,
                                  received_sha256 = %s, high_watermark = %s
                           WHERE batch_id = %s""",
                        (loaded_at, writer.received, writer.loaded, writer.quarantined,
                         writer.sha.hexdigest(), _as_timestamp(writer.high_watermark), batch_id))
    except Exception as err:
        with connect(url) as conn, conn.cursor() as cur:
            cur.execute("UPDATE audit.batch SET status = 'failed', message = %s WHERE batch_id = %s",
                        (str(err)[:2000], batch_id))
        raise
    result = BatchResult(batch_id, dataset.name, interval_start, interval_end, writer.received,
                         writer.loaded, writer.quarantined, writer.sha.hexdigest())
    log.info("%s [%s, %s): received %d, loaded %d, quarantined %d (batch %s)", dataset.name,
             interval_start.date(), interval_end.date(), result.received, result.loaded,
             result.quarantined, batch_id)
    return result
