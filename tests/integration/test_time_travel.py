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

Planting reports are replayed the same way from 2024-01 to 2025-03: a report filed with
preliminary figures is corrected up to 60 days after filing, so December's corrections
reach into March 2025, and the 3-month look-back of the runs up to then brings each one
in. Commitments land with the industry DAG's daily run that holds 1 January; the run of
1 January 2026 refetches 2024, whose revisions (spring 2025) it must bring in.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from dag_runs import parse_dag, run_dag
from dbt_calls import run_dbt
from taza.simulator.industry.greening import commitment_records, commitment_revisions
from taza.simulator.regional.dump_detections import dump_totals
from taza.simulator.regional.planting_reports import planting_corrections, planting_totals

pytestmark = pytest.mark.integration

DAG_ID = "taza_ingest_regional"
DUMP_TASKS = ["land_dump_detections", "validate_dump_detections"]
PLANTING_TASKS = ["land_planting_reports", "validate_planting_reports"]
INDUSTRY_DAG_ID = "taza_ingest_industry"
COMMITMENT_TASKS = ["land_commitments", "validate_commitments"]


def month_start(months_after_2024_01: int) -> date:
    return date(2024 + months_after_2024_01 // 12, months_after_2024_01 % 12 + 1, 1)


REPLAY_INTERVALS = [(month_start(i), month_start(i + 1)) for i in range(12)]  # 2024-01 .. 2024-12
PLANTING_REPLAY = [(month_start(i), month_start(i + 1)) for i in range(15)]  # 2024-01 .. 2025-03


def ingestion(task_ids: list[str], dag_id: str = DAG_ID):
    """The DAG, parsed afresh (see dag_runs), cut to ``task_ids``."""
    return parse_dag(dag_id).partial_subset(task_ids=task_ids, include_upstream=True)


def dump_ingestion():
    return ingestion(DUMP_TASKS)


def scheduled_run(dag, interval_end: date):
    """A scheduled-style run: no params, the data interval inferred from the logical date."""
    return run_dag(dag.dag_id, dag=dag, logical_date=datetime.combine(interval_end, datetime.min.time(), timezone.utc))


def build_marts(warehouse_url, *models: str):
    run_dbt(warehouse_url, "build", "--select", *models, "--indirect-selection", "cautious")


def build_dump_marts(warehouse_url):
    build_marts(warehouse_url, "stg_regional__dump_detections", "fct_dump_detections")


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
    run_dag(DAG_ID, {"period_from": "2024-03", "period_to": "2024-09"}, dag=dump_ingestion())
    build_dump_marts(warehouse_url)
    loaded_today = elimination_rate_2024(db)

    source = dump_totals(simulator_config)["national"][2024]
    assert loaded_today == pytest.approx(100 * source["eliminated"] / source["detected"])
    assert abs(replayed - loaded_today) <= 0.5, (
        f"2024 elimination rate: {replayed:.1f} % after monthly runs, {loaded_today:.1f} % loaded today")


def test_monthly_replay_brings_in_every_correction_of_the_2024_planting_reports(
        airflow_env, simulator, simulator_config, staging_views, warehouse_url, db, monkeypatch):
    monkeypatch.setenv("TAZA_HISTORY_START", "2024-01-01")
    replay = ingestion(PLANTING_TASKS)
    today = simulator.today
    try:
        for start, end in PLANTING_REPLAY:
            simulator.set_today(end)
            run = scheduled_run(replay, end)
            assert (run.data_interval_start.date(), run.data_interval_end.date()) == (start, end)
        build_marts(warehouse_url, "stg_regional__planting_reports", "fct_plantings")
    finally:
        simulator.set_today(today)
    replay_end = replace(simulator_config, today=PLANTING_REPLAY[-1][1])
    # Non-vacuous: reports first landed with preliminary figures (a month lands on the 1st
    # of the next, before any correction) and corrected before the replay ended.
    corrected = [c for c in planting_corrections(replay_end) if c["period"].startswith("2024")
                 and datetime.fromisoformat(c["corrected_at"]).date() < replay_end.today]
    assert corrected and any(c["period"] == "2024-11" for c in corrected)
    db.execute("""SELECT programme, sum(trees_planted) FROM marts.fct_plantings
                  WHERE period_year = 2024 GROUP BY programme""")
    source = planting_totals(replay_end)["national"]
    assert dict(db.fetchall()) == {programme: source[2024, programme]["trees_planted"]
                                   for (year, programme) in source if year == 2024}
    assert source[2024, "state_forest_fund"]["trees_planted"] == 1_150_000_000 - 839_500_000


def test_annual_runs_bring_in_the_2024_commitment_revisions(
        airflow_env, simulator, simulator_config, staging_views, warehouse_url, db, monkeypatch):
    monkeypatch.setenv("TAZA_HISTORY_START", "2024-01-01")
    runs = ingestion(COMMITMENT_TASKS, INDUSTRY_DAG_ID)
    first_landing, second_landing = date(2025, 1, 1), date(2026, 1, 1)
    today = simulator.today
    landed_first = {}
    try:
        for end in (first_landing, second_landing):
            simulator.set_today(end)
            run = scheduled_run(runs, end)
            assert run.data_interval_end.date() == end
            if end == first_landing:
                db.execute("""SELECT enterprise_bin, trees_committed FROM staging.stg_industry__commitments
                              WHERE year = 2024""")
                landed_first = dict(db.fetchall())
        build_marts(warehouse_url, "+fct_commitments")
    finally:
        simulator.set_today(today)

    def served_2024(on: date) -> dict:
        return {r["bin"]: r["trees_committed"] for r in commitment_records(replace(simulator_config, today=on))
                if r["year"] == 2024}

    revised = [r for r in commitment_revisions(replace(simulator_config, today=second_landing))
               if r["year"] == 2024 and first_landing <= date.fromisoformat(r["revised_on"]) < second_landing]
    assert revised, "some 2024 commitment is revised between the two landings"
    assert landed_first == served_2024(first_landing) != served_2024(second_landing)
    db.execute("""SELECT enterprise_bin, trees_committed FROM marts.fct_commitments_v2
                  WHERE year = 2024 AND has_commitment""")
    assert dict(db.fetchall()) == served_2024(second_landing)
