"""Records that change after landing arrive, replayed as the scheduler would run it.

The regional DAG's dump-detection ingestion runs once per monthly data interval of 2024
(history starting 2024-01, so the look-back does not reach into 2023), with the
simulator's clock at the end of each interval, when the scheduler fires. A dump detected
in June is 'open' when June lands and 'eliminated' in a later month; the look-back
refetch (6 months: a dump is eliminated within 180 days) must bring that change in.
After the December run the marts' 2024 elimination rate must be the source's own figure
on that date, and within 0.5 point of a warehouse loaded today (the session simulator's
date): the rest are dumps still open on 1 January 2025, which later runs' look-back
picks up. Without the look-back the replay ends at about 22 %.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from taza.simulator.dump_detections import dump_totals

pytestmark = pytest.mark.integration

DAG_ID = "taza_ingest_regional"
DUMP_TASKS = ["land_dump_detections", "validate_dump_detections"]


def month_start(months_after_2024_01: int) -> date:
    return date(2024 + months_after_2024_01 // 12, months_after_2024_01 % 12 + 1, 1)


REPLAY_INTERVALS = [(month_start(i), month_start(i + 1)) for i in range(12)]  # 2024-01 .. 2024-12


def dump_ingestion():
    """The regional DAG, parsed afresh, cut to its dump-detection tasks.

    Afresh: ``dag.test(run_conf=...)`` runs tasks in this process and leaves the conf in
    their params, so the session's DAG objects keep the months an earlier test asked for,
    and a run without params would land those months instead of its data interval."""
    from airflow.dag_processing.dagbag import DagBag

    from taza import config

    dag = DagBag(dag_folder=str(config.DAGS_DIR / f"{DAG_ID}.py")).dags[DAG_ID]
    return dag.partial_subset(task_ids=DUMP_TASKS, include_upstream=True)


def scheduled_run(dag, interval_end: date):
    """A scheduled-style run: no params, the data interval inferred from the logical date."""
    from airflow.utils.state import DagRunState

    logical_date = datetime.combine(interval_end, datetime.min.time(), timezone.utc)
    run = dag.test(logical_date=logical_date)
    assert run.state == DagRunState.SUCCESS, f"{DAG_ID} for {logical_date:%Y-%m-%d} ended {run.state}"
    return run


def build_dump_marts(warehouse_url):
    from taza import config
    from taza.pipeline.dbt import dbt_environment

    subprocess.run([str(Path(sys.executable).parent / "dbt"), "build", "--select",
                    "stg_regional__dump_detections", "fct_dump_detections", "--indirect-selection", "cautious",
                    "--profiles-dir", str(config.DBT_PROJECT_DIR), "--quiet"],
                   cwd=config.DBT_PROJECT_DIR, env={**os.environ, **dbt_environment(warehouse_url)}, check=True)


def elimination_rate_2024(db) -> float:
    db.execute("""SELECT 100.0 * count(*) FILTER (WHERE is_eliminated) / count(*)
                  FROM marts.fct_dump_detections WHERE detected_year = 2024""")
    return float(db.fetchone()[0])


def test_monthly_replay_ends_with_todays_2024_elimination_rate(airflow_env, simulator, simulator_config, staging_views,
                                                               warehouse_url, db, monkeypatch):
    monkeypatch.setenv("TAZA_HISTORY_START", "2024-01-01")
    replay = dump_ingestion()
    today = simulator.today
    try:
        for start, end in REPLAY_INTERVALS:
            simulator.set_today(end)  # the scheduler fires when the interval ends
            run = scheduled_run(replay, end)
            assert (run.data_interval_start.date(), run.data_interval_end.date()) == (start, end)
        build_dump_marts(warehouse_url)
        replayed = elimination_rate_2024(db)
    finally:
        simulator.set_today(today)
    on_replay_end = dump_totals(replace(simulator_config, today=REPLAY_INTERVALS[-1][1]))["national"][2024]
    assert replayed == pytest.approx(100 * on_replay_end["eliminated"] / on_replay_end["detected"])

    # The monitoring months (March-September) loaded once, today: their batches supersede the replay's.
    run = dump_ingestion().test(run_conf={"period_from": "2024-03", "period_to": "2024-09"})
    assert run.state.value == "success"
    build_dump_marts(warehouse_url)
    loaded_today = elimination_rate_2024(db)

    source = dump_totals(simulator_config)["national"][2024]
    assert loaded_today == pytest.approx(100 * source["eliminated"] / source["detected"])
    assert abs(replayed - loaded_today) <= 0.5, (
        f"2024 elimination rate: {replayed:.1f} % after monthly runs, {loaded_today:.1f} % loaded today")
