"""Settings every Taza DAG shares, so owners, retries, timeouts and tags are set in one place."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone


def history_start() -> datetime:
    """Where the DAGs' catch-up begins: 2021-01-01, the 2-billion-trees programme's first year.

    ``TAZA_HISTORY_START`` (YYYY-MM-DD) moves it, for a deployment that loads history with a
    backfill instead, or a test that wants a short catch-up.
    """
    text = os.environ.get("TAZA_HISTORY_START") or "2021-01-01"
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        raise ValueError(f"TAZA_HISTORY_START must be a date YYYY-MM-DD, got {text!r}") from None


HISTORY_START = history_start()

TASK_TIMEOUT_MINUTES = 120


def task_timeout() -> timedelta:
    """How long any task may run before Airflow kills it (and retries it): 2 hours.

    The longest honest task, landing years of history in one demo run, takes minutes; the
    source client's own bounds (taza.sources.limits) stop a misbehaving source much
    earlier. This is the backstop for whatever still hangs (a lock, a stuck query).
    ``TAZA_TASK_TIMEOUT_MINUTES`` changes it.
    """
    text = os.environ.get("TAZA_TASK_TIMEOUT_MINUTES") or str(TASK_TIMEOUT_MINUTES)
    try:
        minutes = float(text)
    except ValueError:
        minutes = 0.0
    if not 0 < minutes < float("inf"):
        raise ValueError(f"TAZA_TASK_TIMEOUT_MINUTES must be a positive number of minutes, got {text!r}")
    return timedelta(minutes=minutes)


DEFAULT_ARGS = {
    "owner": "taza-data-engineering",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=15),
    "execution_timeout": task_timeout(),
}

INGEST_PARAMS_DOC = {
    "period_from": "first month 'YYYY-MM' to load instead of the run's data interval",
    "period_to": "last month 'YYYY-MM' (inclusive) to load instead of the run's data interval",
    "watermark_from": "first month 'YYYY-MM' a watermark feed (AMS telemetry) may load from: limits its first, "
                      "watermark-less load to a recent window (the demo's history run uses it)",
    "accept_registry_shrink": "set (e.g. 'yes') to accept a registry snapshot with over 20 % fewer rows than the "
                              "last validated one, which the gate otherwise rejects",
}
