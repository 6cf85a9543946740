"""The life of a batch in audit.batch around its landing: registered 'loading' with who lands
it, 'failed' with the reason whatever stopped it, swept to 'failed' when its process died
without a word, and never left 'loaded' and unvalidated once a later landing of the same
interval (a retry, a rerun) has replaced it.

A SIGKILLed loader cannot write anything; its warehouse session ends with it (the socket
closes), so a batch still 'loading' whose session (backend pid and start) is gone is dead.
"""
from __future__ import annotations

import logging
import os
import socket
from datetime import datetime

from taza.warehouse.connection import connect

log = logging.getLogger(__name__)

# A batch registered before the loader identity was recorded is swept once it is this old.
UNIDENTIFIED_LOADING_HOURS = 24


def register_loading(url: str, loader_cursor, batch_id: str, dataset: str, interval_start: datetime,
                     interval_end: datetime, source_url: str, dag_id: str | None, run_id: str | None) -> None:
    """Record the batch as 'loading' (committed at once, in its own connection) with the host:pid
    of this process and the warehouse session of ``loader_cursor``, which lands it."""
    loader_cursor.execute("SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()")
    backend_pid, backend_start = loader_cursor.fetchone()
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute("""INSERT INTO audit.batch (batch_id, dataset, interval_start, interval_end, source_url, status,
                                                dag_id, run_id, loader, backend_pid, backend_start)
                       VALUES (%s, %s, %s, %s, %s, 'loading', %s, %s, %s, %s, %s)""",
                    (batch_id, dataset, interval_start, interval_end, source_url, dag_id, run_id,
                     f"{socket.gethostname()}:{os.getpid()}", backend_pid, backend_start))


def record_lineage_run(url: str, batch_ids: list[str], step: str, lineage_run_id: str) -> None:
    """Name the OpenLineage run of the task that landed (``step`` 'land') or judged ('gate') the batches."""
    column = {"land": "land_lineage_run_id", "gate": "gate_lineage_run_id"}[step]
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute(f"UPDATE audit.batch SET {column} = %s WHERE batch_id = ANY(%s)", (lineage_run_id, batch_ids))


def failure_reason(err: BaseException) -> str:
    """What stopped a landing, for audit.batch.message."""
    if isinstance(err, Exception):
        return str(err)[:2000] or type(err).__name__
    kind = type(err).__name__
    why = {"KeyboardInterrupt": "interrupted (SIGINT: the task was stopped or killed)",
           "AirflowTaskTimeout": "the task's execution_timeout expired",
           "AirflowTaskTerminated": "the task was terminated (SIGTERM)",
           "SystemExit": "the process was asked to exit"}.get(kind, "the process was stopped")
    return (f"{kind}: {why} while landing; nothing of this batch was committed. "
            f"Rerun the interval. {err}".strip()[:2000])


def mark_failed(url: str, batch_id: str, err: BaseException) -> None:
    """Mark a batch still 'loading' as 'failed' with the reason, in a connection of its own (the
    landing's transaction is rolled back). Never hides ``err``: a failure here is only logged."""
    try:
        with connect(url) as conn, conn.cursor() as cur:
            cur.execute("UPDATE audit.batch SET status = 'failed', message = %s "
                        "WHERE batch_id = %s AND status = 'loading'", (failure_reason(err), batch_id))
    except Exception:
        log.exception("batch %s: could not mark it failed (%s); the next landing's sweep will", batch_id,
                      failure_reason(err))


def sweep_dead_loadings(url: str) -> list[str]:
    """Mark 'failed' every batch left 'loading' by a process that died (its warehouse session is
    gone, or it is unidentified and older than UNIDENTIFIED_LOADING_HOURS); returns their ids."""
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute("""UPDATE audit.batch AS batch SET status = 'failed', message = format(
                           'swept: left loading by %%s (warehouse session %%s), which died before finishing '
                           '(killed, or its worker was lost); nothing of it was committed. Rerun the interval.',
                           coalesce(batch.loader, 'an unidentified loader'), coalesce(batch.backend_pid::text, '?'))
                       WHERE batch.status = 'loading'
                         AND CASE WHEN batch.backend_pid IS NULL
                                  THEN batch.started_at < now() - make_interval(hours => %s)
                                  ELSE NOT EXISTS (SELECT 1 FROM pg_stat_activity AS activity
                                                   WHERE activity.pid = batch.backend_pid
                                                     AND activity.backend_start = batch.backend_start) END
                       RETURNING batch.batch_id, batch.dataset, batch.loader""", (UNIDENTIFIED_LOADING_HOURS,))
        swept = cur.fetchall()
    for batch_id, dataset, loader in swept:
        log.warning("%s batch %s: left 'loading' by %s, which died; marked failed", dataset, batch_id, loader)
    return [batch_id for batch_id, _, _ in swept]


RETIRED_PREFIX = "superseded before validation by batch "


def superseding_batch(message: str | None) -> str | None:
    """The newer batch named by a retired batch's message (retire_unvalidated), else None."""
    if not (message or "").startswith(RETIRED_PREFIX):
        return None
    return message[len(RETIRED_PREFIX):].split(",", 1)[0]


def retire_unvalidated(cursor, dataset: str, interval_start: datetime, newer_batch_id: str) -> list[str]:
    """In the landing's transaction: earlier batches of the interval still 'loaded' (landed, never
    validated: their gate never ran, e.g. the land task was retried) become 'failed', naming the
    batch that replaced them, so none is left as an orphan. Returns their ids."""
    cursor.execute("""UPDATE audit.batch SET status = 'failed', message = %s
                      WHERE dataset = %s AND interval_start = %s AND status = 'loaded' AND batch_id <> %s
                      RETURNING batch_id""",
                   (f"{RETIRED_PREFIX}{newer_batch_id}, a later landing of the same interval (a retry, a rerun "
                    f"or a look-back); never validated, staging never read it",
                    dataset, interval_start, newer_batch_id))
    return [batch_id for (batch_id,) in cursor.fetchall()]
