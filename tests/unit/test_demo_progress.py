"""The demo's progress lines, picked out of Airflow's log output."""
from __future__ import annotations

import pytest

from taza.demo import progress_line
from taza.pipeline.progress import LandingProgress, landing_message, read_landing_event

pytestmark = pytest.mark.unit


def airflow_log_line(message: str) -> str:
    """The message as `airflow dags test` prints a task's log record."""
    return f"2026-11-24T08:00:00.123Z [info     ] {message} [taza.pipeline.ingest] loc=ingest.py:100"


def test_a_landing_event_reads_back_from_the_log_line_whatever_surrounds_it():
    event = LandingProgress("industry__telemetry", "since 2026-10-01T00:00:00+00:00", "windows", 1, 1, 2_345_678)
    assert read_landing_event(airflow_log_line(landing_message(event))) == event
    assert read_landing_event(airflow_log_line("taza.progress {not json")) is None
    assert read_landing_event(airflow_log_line('taza.progress {"dataset": "x"}')) is None


def test_every_twelfth_month_and_the_last_window_are_shown():
    def month(label: str, done: int, records: int) -> str:
        return airflow_log_line(landing_message(
            LandingProgress("regional__planting_reports", label, "months", done, 70, records)))

    assert progress_line(month("2021-11", 11, 100)) is None
    assert progress_line(month("2021-12", 12, 3400)) == \
        "regional__planting_reports: 12/70 months landed (last: 2021-12), 3,400 records"
    assert progress_line(month("2026-10", 70, 19071)).startswith("regional__planting_reports: 70/70")
    year = LandingProgress("industry__commitments", "2024", "years", 2, 3, 900)
    assert progress_line(airflow_log_line(landing_message(year))) is None
    assert progress_line(airflow_log_line(landing_message(
        LandingProgress("industry__commitments", "2025", "years", 3, 3, 1300)))) == \
        "industry__commitments: 3/3 years landed (last: 2025), 1,300 records"


def test_finished_tasks_and_failures_are_shown_and_noise_is_not():
    assert progress_line("[info] [DAG TEST] end task task_id=dbt.fct_plantings_build map_index=-1") == \
        "task dbt.fct_plantings_build finished"
    assert progress_line("[error] Task failed with exception [task]").startswith("[error] Task failed")
    assert progress_line("[info] Filling up the DagBag from /work/main/dags") is None
    retry = progress_line("[info     ] Task instance state updated    [airflow.api_fastapi.execution_api.routes."
                          "task_instances] loc=task_instances.py:485 new_state=up_for_retry rows_affected=1")
    assert retry.startswith("a failed task is up for retry") and "1 min, doubling up to 15" in retry


def test_side_by_side_runs_label_their_progress_keep_their_logs_and_report_a_failure(tmp_path, capsys):
    """The demo's ingest DAGs run at once: each progress line names its run, each run keeps its
    whole log, and a failed run fails the step after the others ended, with its own log's tail."""
    import sys

    from taza.demo import _run_side_by_side

    def printing(*lines: str, exit_code: int = 0) -> list[str]:
        return [sys.executable, "-c", f"import sys, time; time.sleep(0.2); print({chr(10).join(lines)!r}); "
                                      f"sys.exit({exit_code})"]

    runs = {"first": (printing("[DAG TEST] end task task_id=land_a", "quiet line"), tmp_path / "first.log", {}),
            "second": (printing("[DAG TEST] end task task_id=land_b", "it broke here", exit_code=3),
                       tmp_path / "second.log", {})}
    with pytest.raises(SystemExit) as failure:
        _run_side_by_side(runs)
    shown = capsys.readouterr().out.splitlines()
    assert "    [first] task land_a finished" in shown and "    [second] task land_b finished" in shown
    assert (tmp_path / "first.log").read_text() == "[DAG TEST] end task task_id=land_a\nquiet line\n"
    assert "failed (exit 3)" in str(failure.value) and "it broke here" in str(failure.value)
    assert "quiet line" not in str(failure.value)


def test_side_by_side_runs_get_the_cpu_priority_named_for_them(tmp_path):
    """The demo lowers the CPU priority of the shorter ingest DAGs, so the longest one ends first."""
    import os
    import sys

    from taza.demo import _run_side_by_side

    # Waits until the parent has set the priority (right after the process started), then prints it.
    report = [sys.executable, "-c", "import os, time; time.sleep(0.5); print(os.getpriority(os.PRIO_PROCESS, 0))"]
    _run_side_by_side({"favoured": (report, tmp_path / "favoured.log", dict(os.environ)),
                       "lowered": (report, tmp_path / "lowered.log", dict(os.environ))}, niceness={"lowered": 7})
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert int((tmp_path / "favoured.log").read_text()) == own
    assert int((tmp_path / "lowered.log").read_text()) == min(own + 7, 19)
