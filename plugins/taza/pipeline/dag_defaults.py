"""Settings every Taza DAG shares, so owners, retries and tags are set in one place."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

HISTORY_START = datetime(2021, 1, 1, tzinfo=timezone.utc)  # the 2-billion-trees programme's first year

DEFAULT_ARGS = {
    "owner": "taza-data-engineering",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=15),
}

INGEST_PARAMS_DOC = {
    "period_from": "first month 'YYYY-MM' to load instead of the run's data interval",
    "period_to": "last month 'YYYY-MM' (inclusive) to load instead of the run's data interval",
    "watermark_from": "first month 'YYYY-MM' a watermark feed (AMS telemetry) may load from: limits its first, "
                      "watermark-less load to a recent window (the demo's history run uses it)",
}
