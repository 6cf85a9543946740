"""One writer at a time per (dataset, interval): landing and the quality gate.

Landing a batch and gating one both take a transaction-level advisory lock keyed on the
dataset and the interval's start, so a rerun's landing (which retires the interval's
unvalidated batches) and the gate's verdict on one of them never interleave. Both set
``lock_timeout`` for the rest of their transaction: rather than wait for ever behind
another writer or a DDL statement, they fail with a LockWaitTimeout that names the
dataset, the interval, the lock and who held it.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import datetime

from psycopg2 import errors

# A landing holds the lock for its whole stream (minutes for a month of telemetry);
# TAZA_LOCK_TIMEOUT_SECONDS overrides the wait.
LOCK_TIMEOUT_SECONDS = 600


class LockWaitTimeout(RuntimeError):
    """A landing or gate waited longer than its lock_timeout."""


def _keys(dataset: str, interval_start: datetime) -> tuple[str, str]:
    return f"taza.interval:{dataset}", interval_start.isoformat()


def _holders(cursor, dataset: str, interval_start: datetime) -> str:
    """Who holds the interval lock now, as text for the error message."""
    cursor.execute("""SELECT string_agg(format('pid %%s (%%s, in transaction since %%s)', activity.pid,
                                               activity.application_name, activity.xact_start), '; ')
                      FROM pg_locks AS locks JOIN pg_stat_activity AS activity USING (pid)
                      WHERE locks.locktype = 'advisory' AND locks.granted AND locks.objsubid = 2
                        AND locks.classid::bigint = (hashtext(%s)::bigint & 4294967295)
                        AND locks.objid::bigint = (hashtext(%s)::bigint & 4294967295)""",
                   _keys(dataset, interval_start))
    return cursor.fetchone()[0] or "no session any more"


def lock_timeout_seconds() -> float:
    return float(os.environ.get("TAZA_LOCK_TIMEOUT_SECONDS") or LOCK_TIMEOUT_SECONDS)


def lock_interval(cursor, dataset: str, interval_start: datetime, doing: str) -> None:
    """Take the (dataset, interval) lock for the rest of the transaction, after setting its
    lock_timeout; ``doing`` ('landing', 'gate') names this session in pg_stat_activity."""
    timeout_seconds = lock_timeout_seconds()
    cursor.execute("SELECT set_config('lock_timeout', %s, true), set_config('application_name', %s, true)",
                   (f"{int(timeout_seconds * 1000)}ms", f"taza {doing} {dataset} {interval_start:%Y-%m-%d}"))
    cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s), hashtext(%s))", _keys(dataset, interval_start))
    if cursor.fetchone()[0]:
        return
    holders = _holders(cursor, dataset, interval_start)
    with lock_waits(dataset, interval_start, doing, f"the advisory lock of this interval, held by {holders}"):
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))", _keys(dataset, interval_start))


@contextlib.contextmanager
def lock_waits(dataset: str, interval_start: datetime, doing: str, lock: str) -> Iterator[None]:
    """Turn a lock_timeout inside the block into a LockWaitTimeout saying what was waited for."""
    try:
        yield
    except errors.LockNotAvailable as err:
        raise LockWaitTimeout(
            f"{dataset} interval starting {interval_start.isoformat()}: {doing} gave up after "
            f"{lock_timeout_seconds():g} s (lock_timeout; TAZA_LOCK_TIMEOUT_SECONDS) waiting for {lock}. "
            f"Nothing of this step was committed; earlier batches of the interval are unchanged. Another landing or gate of the same interval is running (an overlapping "
            f"or manual rerun), or a long statement holds the table: see pg_stat_activity and pg_locks, let it "
            f"finish (or cancel it), then retry the task.") from err
