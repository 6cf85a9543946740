"""Pull a dataset from its source API for a data interval, one batch per month."""
from __future__ import annotations

import logging
from datetime import datetime

from taza.load.raw import BatchResult, land_batch
from taza.pipeline.intervals import months_between
from taza.sources.schema import Dataset
from taza.sources.http import SourceClient

log = logging.getLogger(__name__)

PAGE_SIZE = 500


def ingest_monthly(dataset: Dataset, client: SourceClient, warehouse_url: str,
                   interval_start: datetime, interval_end: datetime,
                   dag_id: str | None = None, run_id: str | None = None) -> list[BatchResult]:
    """Land one batch per calendar month of [interval_start, interval_end)."""
    months = months_between(interval_start, interval_end)
    if not months:
        raise ValueError(f"{dataset.name}: interval [{interval_start}, {interval_end}) holds no whole month")
    results = []
    source_url = client.base_url.rstrip("/") + dataset.path
    for done, (start, end) in enumerate(months, 1):
        month = start.strftime("%Y-%m")
        pages = client.iter_pages(dataset.path, {"period_from": month, "period_to": month,
                                                 "page": 1, "page_size": PAGE_SIZE})
        results.append(land_batch(warehouse_url, dataset, pages, start, end, source_url, dag_id, run_id))
        log.info("%s: month %s done (%d/%d months, %d records so far)", dataset.name, month, done,
                 len(months), sum(r.received for r in results))
    return results
