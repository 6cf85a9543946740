"""Param watermark_from limits a watermark feed's interval and leaves every other dataset's alone."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from taza.pipeline.tasks import dataset_interval

pytestmark = pytest.mark.unit

HISTORY = {"period_from": "2021-01", "period_to": "2026-10"}


def utc(year, month):
    return datetime(year, month, 1, tzinfo=timezone.utc)


def test_watermark_feed_starts_at_watermark_from():
    context = {"params": {**HISTORY, "watermark_from": "2026-10"}}
    assert dataset_interval("industry__telemetry", context) == (utc(2026, 10), utc(2026, 11))


def test_other_datasets_keep_the_whole_interval():
    context = {"params": {**HISTORY, "watermark_from": "2026-10"}}
    assert dataset_interval("industry__plantings", context) == (utc(2021, 1), utc(2026, 11))


def test_without_the_param_the_watermark_feed_keeps_the_interval():
    assert dataset_interval("industry__telemetry", {"params": HISTORY}) == (utc(2021, 1), utc(2026, 11))


def test_watermark_from_after_the_interval_is_refused():
    with pytest.raises(ValueError, match="watermark_from 2026-11"):
        dataset_interval("industry__telemetry", {"params": {**HISTORY, "watermark_from": "2026-11"}})
