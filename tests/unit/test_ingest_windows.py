"""How an interval is cut into request windows for each request style."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from taza.pipeline.ingest import request_windows
from taza.sources.regional import PLANTING_REPORTS

pytestmark = pytest.mark.unit
UTC = timezone.utc
JAN, FEB, MAR = (datetime(2025, m, 1, tzinfo=UTC) for m in (1, 2, 3))


def styled(request: str):
    return replace(PLANTING_REPORTS, request=request)


def test_monthly_windows_ask_for_one_month_each():
    windows = request_windows(styled("monthly"), JAN, MAR)
    assert [w.params["period_from"] for w in windows] == ["2025-01", "2025-02"]
    assert all(w.params["period_from"] == w.params["period_to"] for w in windows)
    assert (windows[0].start, windows[0].end) == (JAN, FEB)


def test_annual_window_lands_with_the_run_that_holds_the_years_end():
    december = request_windows(styled("annual"), datetime(2024, 12, 1, tzinfo=UTC), JAN)
    assert [(w.params["year_from"], w.params["year_to"], w.label) for w in december] == [(2024, 2024, "2024")]
    assert request_windows(styled("annual"), JAN, FEB) == []


def test_snapshot_is_one_unfiltered_window_for_the_run():
    [window] = request_windows(styled("snapshot"), JAN, FEB)
    assert (window.start, window.end) == (JAN, FEB)
    assert set(window.params) == {"page", "page_size"}


def test_watermark_asks_for_the_interval_only_and_a_rerun_asks_the_same():
    [window] = request_windows(styled("watermark"), JAN, FEB)
    assert window.params["since"] == "2024-12-31T23:59:59.999999+00:00", "since is exclusive: midnight included"
    assert window.params["until"] == FEB.isoformat() and (window.start, window.end) == (JAN, FEB)
    assert request_windows(styled("watermark"), JAN, FEB) == [window], "a rerun supersedes the first load"
