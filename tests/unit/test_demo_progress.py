"""The demo's progress lines, picked out of Airflow's log output."""
from __future__ import annotations

import pytest

from taza.demo import progress_line

pytestmark = pytest.mark.unit


def test_every_twelfth_month_and_the_last_are_shown():
    line = ("2026-11-24T08:00:00Z [info ] regional__planting_reports: month {m} done ({d}/70 months, "
            "{r} records so far) [taza.pipeline.ingest]")
    assert progress_line(line.format(m="2021-11", d=11, r=100)) is None
    assert progress_line(line.format(m="2021-12", d=12, r=3400)) == \
        "regional__planting_reports: 12/70 months landed (up to 2021-12), 3,400 records"
    assert progress_line(line.format(m="2026-10", d=70, r=19071)).startswith("regional__planting_reports: 70/70")


def test_finished_tasks_and_failures_are_shown_and_noise_is_not():
    assert progress_line("[info] [DAG TEST] end task task_id=dbt.fct_plantings.run map_index=-1") == \
        "task dbt.fct_plantings.run finished"
    assert progress_line("[error] Task failed with exception [task]").startswith("[error] Task failed")
    assert progress_line("[info] Filling up the DagBag from /work/main/dags") is None
