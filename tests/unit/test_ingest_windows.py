"""How an interval is cut into request windows for each request style."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from taza.pipeline.ingest import request_windows
from taza.pipeline.intervals import months_before
from taza.simulator import SimulatorConfig
from taza.simulator.industry.greening import commitment_revisions
from taza.simulator.regional.planting_reports import planting_corrections
from taza.sources.regional import PLANTING_REPORTS

pytestmark = pytest.mark.unit
UTC = timezone.utc
JAN, FEB, MAR = (datetime(2025, m, 1, tzinfo=UTC) for m in (1, 2, 3))


def styled(request: str):
    return replace(PLANTING_REPORTS, request=request, lookback_periods=0)


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


def test_lookback_refetches_the_periods_before_the_runs_own_oldest_first():
    dataset = replace(PLANTING_REPORTS, lookback_periods=3)
    jan_24, feb_24, mar_24 = (datetime(2024, m, 1, tzinfo=UTC) for m in (1, 2, 3))
    windows = request_windows(dataset, feb_24, mar_24)
    assert [w.label for w in windows] == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert [(w.start, w.end) for w in windows][-2:] == [(jan_24, feb_24), (feb_24, mar_24)]


def test_lookback_adds_nothing_to_a_run_that_lands_no_period():
    dataset = replace(PLANTING_REPORTS, lookback_periods=6)
    assert request_windows(dataset, datetime(2025, 2, 14, tzinfo=UTC), datetime(2025, 2, 15, tzinfo=UTC)) == []


def test_lookback_never_reaches_before_the_history_start(monkeypatch):
    monkeypatch.setenv("TAZA_HISTORY_START", "2024-01-01")
    windows = request_windows(replace(PLANTING_REPORTS, lookback_periods=6), datetime(2024, 2, 1, tzinfo=UTC),
                              datetime(2024, 3, 1, tzinfo=UTC))
    assert [w.label for w in windows] == ["2024-01", "2024-02"]


def test_annual_lookback_refetches_earlier_years():
    dataset = replace(PLANTING_REPORTS, request="annual", lookback_periods=1)
    windows = request_windows(dataset, datetime(2024, 12, 1, tzinfo=UTC), JAN)
    assert [w.label for w in windows] == ["2023", "2024"]


def test_dump_detections_look_back_as_long_as_a_dump_may_stay_open():
    from taza.sources.regional import DUMP_DETECTIONS

    assert DUMP_DETECTIONS.lookback_periods * 30 >= 180, "the simulator clears a dump within 180 days"


def first_run_after(moment: datetime, period: str) -> tuple[datetime, datetime]:
    """The data interval of the first scheduled run that lands a period ending after
    ``moment``: the regional DAG's month that holds it, the industry DAG's day whose
    interval holds the end of its year."""
    if period == "monthly":
        start = datetime(moment.year, moment.month, 1, tzinfo=UTC)
        return start, months_before(start, -1)
    end = datetime(moment.year + 1, 1, 1, tzinfo=UTC)
    return end - timedelta(days=1), end


def test_every_planting_report_correction_is_refetched_by_a_scheduled_run(monkeypatch):
    """The run that fires first after a correction (its clock past the correction day)
    refetches the report's month: the look-back covers the correction horizon."""
    monkeypatch.setenv("TAZA_HISTORY_START", "2021-01-01")
    corrections = planting_corrections(SimulatorConfig(api_key="k", scale=0.5, today=date(2027, 3, 15)))
    assert corrections
    for correction in corrections:
        corrected_at = datetime.fromisoformat(correction["corrected_at"])
        start, end = first_run_after(corrected_at, "monthly")
        assert corrected_at.date() < end.date(), "the simulator serves the final figures to that run"
        assert correction["period"] in [w.label for w in request_windows(PLANTING_REPORTS, start, end)], correction


def test_every_commitment_revision_is_refetched_by_a_scheduled_run(monkeypatch):
    from taza.sources.industry import COMMITMENTS

    monkeypatch.setenv("TAZA_HISTORY_START", "2021-01-01")
    revisions = commitment_revisions(SimulatorConfig(api_key="k", today=date(2027, 6, 1)))
    assert revisions
    for revision in revisions:
        revised_on = date.fromisoformat(revision["revised_on"])
        start, end = first_run_after(datetime.combine(revised_on, datetime.min.time(), UTC), "annual")
        assert revised_on < end.date()
        assert str(revision["year"]) in [w.label for w in request_windows(COMMITMENTS, start, end)], revision


def test_lookback_is_refused_where_there_are_no_periods():
    with pytest.raises(ValueError, match="lookback_periods"):
        replace(PLANTING_REPORTS, request="snapshot", lookback_periods=1)


def test_an_explicit_span_loads_exactly_its_months():
    dataset = replace(PLANTING_REPORTS, lookback_periods=6)
    windows = request_windows(dataset, datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 6, 1, tzinfo=UTC),
                              look_back=False)
    assert [w.label for w in windows] == ["2024-05"]
