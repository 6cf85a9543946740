"""Pull a dataset from its source API for a data interval, one batch per request window.

How the interval is cut depends on the dataset's request style (see sources.schema):
monthly and annual datasets land one batch per complete month or year, registries one
snapshot per run, and the telemetry feed one batch per run, asked for with a ``since``
watermark at the interval's start (the end of the previous interval) and cursor-paged:
each run fetches only the readings of its own interval, and missed intervals are
Airflow catch-up runs of their own. A rerun of an interval fetches it in full and lands
a batch that supersedes the old one (same interval start), so staging never holds two
loads of the same readings.

Records that change after landing are picked up by a look-back window declared per
dataset in the catalogue (``Dataset.lookback_periods``): a scheduled run that lands a
period also refetches that many periods before it, and each refetch is a new batch of its
period that supersedes the earlier one (newest validated batch per interval, as for any
rerun). A look-back was chosen over a change feed (``updated_since``) because it needs
nothing from the source API and no new supersede rule, and its cost, a few small periods
per run, is bounded by the catalogue. Look-back periods never reach before the DAGs'
history start; a run given an explicit span of months loads exactly that span.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from taza.load.raw import BatchResult, land_batch
from taza.pipeline.dag_defaults import history_start
from taza.pipeline.intervals import months_before, months_ending_within, years_ending_within
from taza.pipeline.progress import LandingProgress, landing_message
from taza.sources.http import SourceClient
from taza.sources.schema import Dataset

log = logging.getLogger(__name__)

PAGE_SIZE = 500  # numbered paging: district reports are small
CURSOR_PAGE_SIZE = 10000  # telemetry: fewer round trips, yet three pages in flight stay small
WINDOW_UNITS = {"monthly": "months", "annual": "years"}


@dataclass(frozen=True)
class Window:
    """One batch's slice of the interval and the query that fetches it."""

    start: datetime
    end: datetime
    params: dict
    label: str


def request_windows(dataset: Dataset, start: datetime, end: datetime, look_back: bool = True) -> list[Window]:
    """The batches a run for [start, end) lands, oldest first: the periods ending inside the
    interval, preceded by the dataset's look-back periods when ``look_back`` and there is any."""
    lookback = dataset.lookback_periods if look_back else 0
    if dataset.request == "monthly":
        return [Window(s, e, {"period_from": s.strftime("%Y-%m"), "period_to": s.strftime("%Y-%m"),
                              "page": 1, "page_size": PAGE_SIZE}, s.strftime("%Y-%m"))
                for s, e in _with_lookback(lookback, months_ending_within(start, end), months_before)]
    if dataset.request == "annual":
        return [Window(s, e, {"year_from": s.year, "year_to": s.year, "page": 1, "page_size": PAGE_SIZE},
                       str(s.year)) for s, e in _with_lookback(lookback, years_ending_within(start, end), _years_before)]
    if dataset.request == "snapshot":
        return [Window(start, end, {"page": 1, "page_size": PAGE_SIZE}, "snapshot")]
    # watermark: from the interval's start. The API's `since` is exclusive, so the window
    # asks from the microsecond before (a reading at exactly midnight belongs to the day
    # that starts then).
    since = start
    since_param = since - timedelta(microseconds=1)
    return [Window(since, end, {"since": since_param.isoformat(), "until": end.isoformat(),
                                "limit": CURSOR_PAGE_SIZE}, f"since {since.isoformat()}")]


def _years_before(moment: datetime, years: int) -> datetime:
    return moment.replace(year=moment.year - years)


def _with_lookback(lookback: int, periods: list[tuple[datetime, datetime]], back) -> list[tuple[datetime, datetime]]:
    """``periods`` preceded by ``lookback`` periods before them (none before the history start)."""
    if not periods or not lookback:
        return periods
    first = periods[0][0]
    earlier = [(back(first, n), back(first, n - 1)) for n in range(lookback, 0, -1)]
    return [period for period in earlier if period[0] >= history_start()] + periods


def ingest_interval(dataset: Dataset, client: SourceClient, warehouse_url: str,
                    interval_start: datetime, interval_end: datetime,
                    dag_id: str | None = None, run_id: str | None = None,
                    look_back: bool = True) -> list[BatchResult]:
    """Land every window of [interval_start, interval_end), with the dataset's look-back
    unless ``look_back`` is false; returns one result per batch."""
    windows = request_windows(dataset, interval_start, interval_end, look_back)
    if not windows:
        log.info("%s: no complete %s period ends in [%s, %s); nothing to land", dataset.name,
                 dataset.request, interval_start, interval_end)
    source_url = client.base_url.rstrip("/") + dataset.path
    results = []
    for done, window in enumerate(windows, 1):
        pages = client.iter_pages(dataset.path, window.params)
        results.append(land_batch(warehouse_url, dataset, pages, window.start, window.end, source_url,
                                  dag_id, run_id))
        log.info("%s", landing_message(LandingProgress(
            dataset.name, window.label, WINDOW_UNITS.get(dataset.request, "windows"), done, len(windows),
            sum(r.received for r in results))))
    return results
