"""Benchmark: ten times the records against scale 1, through the daily industry pipeline.

At each scale, on its own warehouse and simulator (``--scale``: every feed's volume, the
AMS telemetry ten times the stacks' readings), one month of the industry family (a month
of AMS telemetry and the month's other industry datasets) goes through
``airflow dags test taza_ingest_industry``, and then the KPIs are built (``dbt build``,
what the KPI DAG's producer runs; the first build of that warehouse). Reports the wall
time of both and the peak resident memory of the DAG run (its largest process); targets:
time at most 11x scale 1 (the records are 10x), and a peak memory independent of the
records (at most 1.2x).
"""
from __future__ import annotations

import json

from measure import measured
from results import Row, emit
from stack import BIN, local_stack

SCALES = (1, 10)
ONE_MONTH = {"period_from": "2026-10", "period_to": "2026-10"}


def run_at(scale: int) -> dict:
    """One month through the industry DAG, then the KPI build, at ``scale``."""
    from taza import config
    from taza.pipeline.dbt import dbt_environment
    from taza.warehouse.connection import connect

    with local_stack(scale=scale) as stack:
        dbt_env = {**stack.env, **dbt_environment(stack.warehouse_url)}
        print(f"scale {scale}: taza_ingest_industry, {ONE_MONTH['period_from']} ...", flush=True)
        ingest = measured([str(BIN / "airflow"), "dags", "test", "taza_ingest_industry", "-c", json.dumps(ONE_MONTH)],
                          stack.env)
        with connect(stack.warehouse_url) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM raw.industry__telemetry")
            (readings,) = cur.fetchone()
        print(f"scale {scale}: {readings:,} readings in {ingest.seconds:.1f} s, peak {ingest.peak_rss_mb:,.0f} MB; "
              "dbt build ...", flush=True)
        build = measured([str(BIN / "dbt"), "build", "--profiles-dir", str(config.DBT_PROJECT_DIR)], dbt_env,
                           cwd=config.DBT_PROJECT_DIR)
    return {"readings": readings, "ingest": ingest, "build": build}


def main() -> list[Row]:
    runs = {scale: run_at(scale) for scale in SCALES}
    print(f"\n{'scale':>5}{'readings':>12}{'ingest s':>10}{'KPI build s':>13}{'DAG peak RSS':>14}")
    for scale, run in runs.items():
        print(f"{scale:>5}{run['readings']:>12,}{run['ingest'].seconds:>10.1f}{run['build'].seconds:>13.1f}"
              f"{run['ingest'].peak_rss_mb:>11,.0f} MB")
    small, large = runs[SCALES[0]], runs[SCALES[1]]
    seconds = {scale: run["ingest"].seconds + run["build"].seconds for scale, run in runs.items()}
    return [
        Row(f"scale 10 / scale 1: a month of the industry family through `taza_ingest_industry`, then the KPI "
            f"build, wall time ({large['readings']:,} vs {small['readings']:,} telemetry readings)",
            f"{seconds[SCALES[1]]:.1f} s", f"{seconds[SCALES[0]]:.1f} s", seconds[SCALES[1]] / seconds[SCALES[0]],
            "<= 11"),
        Row("scale 10 / scale 1: peak RSS of that `taza_ingest_industry` run",
            f"{large['ingest'].peak_rss_mb:,.0f} MB", f"{small['ingest'].peak_rss_mb:,.0f} MB",
            large["ingest"].peak_rss_mb / small["ingest"].peak_rss_mb, "<= 1.2"),
    ]


if __name__ == "__main__":
    emit(main())
