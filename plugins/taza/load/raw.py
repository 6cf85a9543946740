"""Landing one (dataset, interval) batch in the raw layer.

Every record received is accounted for: typed records go to ``raw.<dataset>``, the rest
to ``quarantine.<dataset>`` with the reason, and ``audit.batch`` records
received = loaded + quarantined with a sha256 of the bytes received. Raw is
append-only; a rerun lands a new batch and staging reads the newest validated one.

A batch is one COPY fed page by page while the next page is fetched in a thread
(load.prefetch); quarantined rows wait in a spool file and follow in a second COPY, all
in one transaction. Records are typed by the dataset's compiled converter
(load.compiled), so memory stays flat and the loader keeps pace with COPY.
"""
from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from taza.load.batches import mark_failed, register_loading, retire_unvalidated, sweep_dead_loadings
from taza.load.compiled import CompiledConverter
from taza.load.pgcopy import copy_line, copy_stream, copy_value
from taza.load.prefetch import Prefetched
from taza.load.records import RecordError, missing_everywhere, record_hash, stored_json
from taza.sources.schema import Dataset
from taza.sources.http import Page, SourceError
from taza.warehouse.connection import connect
from taza.warehouse.ddl import QUARANTINE_COLUMNS
from taza.warehouse.locks import lock_interval, lock_waits

log = logging.getLogger(__name__)

# A batch this large changes the raw table's statistics enough to re-ANALYZE it before the gate.
ANALYZE_AFTER_ROWS = 10_000

QUARANTINE_SPOOL_BYTES = 4 << 20  # quarantined rows wait in memory up to this, then on disk


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


class _BatchWriter:
    """Types, hashes and deduplicates one batch's pages into COPY text for raw; records
    that do not fit are spooled (in memory, then on disk) for the quarantine table.
    Counts and hashes what arrived, and keeps the batch's high watermark."""

    def __init__(self, dataset: Dataset, batch_id: str, loaded_at: datetime):
        self.dataset, self.batch_id, self.loaded_at = dataset, batch_id, loaded_at
        self.sha = hashlib.sha256()
        self.received = self.loaded = self.quarantined = 0
        self.high_watermark = None  # the newest period value loaded
        self.quarantine = tempfile.SpooledTemporaryFile(max_size=QUARANTINE_SPOOL_BYTES)
        self._converter = CompiledConverter(dataset, loaded_at)
        self._seen_keys: dict[tuple, str] = {}
        self._previous_page_keys: dict[tuple, str] = {}

    def raw_chunks(self, pages: Iterable[Page]) -> Iterator[bytes]:
        """Each page's raw rows as COPY text, columns in ``raw_columns()`` order."""
        for page in pages:
            yield self.page_rows(page)

    def page_rows(self, page: Page) -> bytes:
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
        self.received += len(page.records)
        prefix = "".join(copy_value(v) + "\t" for v in (self.batch_id, self.loaded_at, page.url))
        fast, generic, sha256 = self._converter.fast, self._converter.convert_generic, hashlib.sha256
        seen, previous = self._seen_keys, self._previous_page_keys
        high_watermark = last_period = self.high_watermark
        rows = []
        for record in page.records:
            try:
                line, key, period = fast(record) or generic(record)  # CompiledConverter.convert, inlined
            except RecordError as err:
                self._quarantine(page, record, record_hash(record), str(err))
                continue
            digest = sha256(line.encode()).hexdigest()  # line_hash, inlined
            first = seen.get(key) or previous.get(key)
            if first is not None:
                self._quarantine(page, record, digest, self._duplicate_reason(key, first == digest))
                continue
            seen[key] = digest
            rows.append(f"{prefix}{line}\t{digest}\n")
            if period is not last_period and period is not None:  # parsed periods are shared objects
                last_period = period
                if high_watermark is None or period > high_watermark:
                    high_watermark = period
        self.high_watermark = high_watermark
        self.loaded += len(rows)
        return "".join(rows).encode()

    def _duplicate_reason(self, key: tuple, identical: bool) -> str:
        kind = "an identical record" if identical else "a different record"
        return (f"duplicate natural key {dict(zip(self.dataset.natural_key, map(str, key)))}: "
                f"{kind} with this key was already received in this batch")

    def _quarantine(self, page: Page, record, digest: str, reason: str) -> None:
        self.quarantined += 1
        self.quarantine.write(copy_line((self.batch_id, self.loaded_at, page.url, digest, reason,
                                         stored_json(record))).encode())

    def raw_columns(self) -> tuple[str, ...]:
        return ("_batch_id", "_loaded_at", "_source_url", *self.dataset.column_names, "_record_hash")

    def copy_quarantine(self, cursor) -> None:
        self.quarantine.seek(0)
        cursor.copy_expert(f"COPY {self.dataset.quarantine_table} ({', '.join(QUARANTINE_COLUMNS)}) FROM STDIN",
                           self.quarantine)


def _as_timestamp(value):
    """Period values are years, dates or timestamps; audit.batch keeps them as timestamptz."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, int):
        return datetime(value, 1, 1, tzinfo=timezone.utc)
    return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)


def _analyze(url: str, dataset: Dataset) -> None:
    """Refresh the planner's statistics: the gate's per-batch queries (uniqueness joins) on a
    table that just grew by a large batch otherwise get nested-loop plans that run for minutes."""
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute(f"ANALYZE {dataset.raw_table}")


def land_batch(url: str, dataset: Dataset, pages: Iterable[Page], interval_start: datetime,
               interval_end: datetime, source_url: str, dag_id: str | None = None,
               run_id: str | None = None) -> BatchResult:
    """Stream ``pages`` into a new batch; marks it 'loaded', or 'failed' and re-raises.

    Whatever stops the landing, an error, a timeout or an interrupt, the batch is marked
    'failed' with the reason; a batch left 'loading' by a process killed outright is swept
    by the next landing (load.batches). The landing holds the interval's lock
    (warehouse.locks) and, once loaded, retires the interval's earlier batches that were
    never validated. It runs no DDL: the tables come from the migrations (warehouse.ddl).
    """
    batch_id = uuid.uuid4().hex
    loaded_at = datetime.now(timezone.utc)
    sweep_dead_loadings(url)
    writer = _BatchWriter(dataset, batch_id, loaded_at)
    try:
        with connect(url) as conn, conn.cursor() as cur:
            register_loading(url, cur, batch_id, dataset.name, interval_start, interval_end, source_url,
                             dag_id, run_id)
            lock_interval(cur, dataset.name, interval_start, "landing")
            with lock_waits(dataset.name, interval_start, "landing", f"a lock on {dataset.raw_table} or "
                                                                     f"{dataset.quarantine_table}"), \
                    Prefetched(pages) as ahead, writer.quarantine:
                copy_stream(cur, dataset.raw_table, writer.raw_columns(), writer.raw_chunks(ahead))
                writer.copy_quarantine(cur)
            cur.execute("""UPDATE audit.batch SET status = 'loaded', loaded_at = %s,
                                  received_count = %s, loaded_count = %s, quarantined_count = %s,
                                  received_sha256 = %s, high_watermark = %s
                           WHERE batch_id = %s""",
                        (loaded_at, writer.received, writer.loaded, writer.quarantined,
                         writer.sha.hexdigest(), _as_timestamp(writer.high_watermark), batch_id))
            retired = retire_unvalidated(cur, dataset.name, interval_start, batch_id)
    except BaseException as err:  # SIGINT and Airflow's timeout are BaseExceptions, and must mark it too
        mark_failed(url, batch_id, err)
        raise
    if retired:
        log.warning("%s [%s]: batch(es) %s landed but never validated, now failed: superseded by batch %s",
                    dataset.name, interval_start.date(), ", ".join(retired), batch_id)
    if writer.loaded >= ANALYZE_AFTER_ROWS:
        _analyze(url, dataset)
    result = BatchResult(batch_id, dataset.name, interval_start, interval_end, writer.received,
                         writer.loaded, writer.quarantined, writer.sha.hexdigest())
    log.info("%s [%s, %s): received %d, loaded %d, quarantined %d (batch %s)", dataset.name,
             interval_start.date(), interval_end.date(), result.received, result.loaded,
             result.quarantined, batch_id)
    return result
