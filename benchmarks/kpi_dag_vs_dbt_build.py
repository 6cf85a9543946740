"""Benchmark: the KPI DAG (Cosmos WATCHER: one `dbt build` task, one task per node) against one plain `dbt build`;
then the KPI refresh after one new day of telemetry against a full build.

Both build the same project on the same warehouse, loaded as the demo loads it, in the
same run; the ratio is what orchestrating dbt through Airflow costs. Then one more day of
AMS telemetry is landed and gated (the ingest task's own functions) and `dbt build` of the
nodes the KPI DAG's next run would build (taza.pipeline.kpi_refresh, planned from the DAG's
build, on record in audit.kpi_build) refreshes the KPIs; the baseline is
`dbt build --full-refresh` of the same warehouse right after. The demo load has every reading up to the simulator's today, so
the day is the one before the loaded window (a late day: the same work as a next one).
Run with `make bench`.
"""
from __future__ import annotations

import json
import sys

from measure import measured
from results import Row, emit
from stack import BIN, local_stack

INGEST_DAGS = ("taza_ingest_regional", "taza_ingest_nursery", "taza_ingest_industry")
# The demo's load: every family's history, the AMS telemetry only for its last month.
HISTORY = {"period_from": "2021-01", "period_to": "2026-10", "watermark_from": "2026-10"}


def land_one_more_telemetry_day(stack) -> int:
    """Land and gate the day before the loaded telemetry window, as the ingest tasks do; the rows loaded."""
    from datetime import timedelta

    from taza import config
    from taza.pipeline.ingest import ingest_interval
    from taza.quality.gate import validate_batches
    from taza.sources.http import SourceClient
    from taza.sources.industry import TELEMETRY
    from taza.warehouse.connection import connect

    with connect(stack.warehouse_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT min(interval_start) FROM audit.batch WHERE dataset = %s", (TELEMETRY.name,))
        (until,) = cur.fetchone()
    since = until - timedelta(days=1)
    client = SourceClient(stack.simulator_url, config.source_api_key(), dataset=TELEMETRY.name)
    landed = ingest_interval(TELEMETRY, client, stack.warehouse_url, since, until, look_back=False)
    validate_batches(stack.warehouse_url, TELEMETRY, [batch.batch_id for batch in landed])
    loaded = sum(batch.loaded for batch in landed)
    if not loaded:
        sys.exit(f"no telemetry reading between {since} and {until}: nothing to refresh")
    return loaded


def planned_refresh(stack, manifest: dict) -> list[str]:
    """The nodes the KPI DAG's next build would build, as its producer plans them (``--select``)."""
    from taza import config
    from taza.pipeline.kpi_refresh import plan_from_warehouse
    from taza.warehouse.connection import connect

    with connect(stack.warehouse_url) as conn, conn.cursor() as cur:
        plan, _, _ = plan_from_warehouse(cur, manifest, config.DBT_PROJECT_DIR)
    print(f"the KPI DAG's next build: {plan.reason}", flush=True)
    if plan.full or not plan.rebuilt:
        sys.exit("the refresh is not a refresh: see the plan above")
    return plan.selection(manifest)


def main() -> list[Row]:
    from taza import config
    from taza.pipeline.dbt import KPI_DAG_BUILD_FLAGS, dbt_environment

    with local_stack() as stack:
        dbt_env = {**stack.env, **dbt_environment(stack.warehouse_url)}
        measured([str(BIN / "dbt"), "parse", "--profiles-dir", str(config.DBT_PROJECT_DIR)], dbt_env,
                 cwd=config.DBT_PROJECT_DIR)
        for dag_id in INGEST_DAGS:
            print(f"loading the history through {dag_id} (telemetry: its last month) ...", flush=True)
            measured([str(BIN / "airflow"), "dags", "test", dag_id, "-c", json.dumps(HISTORY)], stack.env)
        manifest = json.loads((config.DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
        nodes = sum(1 for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed", "snapshot", "test"))
        # The DAG's build: the same nodes (no dbt unit tests, KPI_DAG_BUILD_FLAGS).
        dbt_build = [str(BIN / "dbt"), "build", "--profiles-dir", str(config.DBT_PROJECT_DIR), *KPI_DAG_BUILD_FLAGS]
        print("plain dbt build ...", flush=True)
        baseline = measured(dbt_build, dbt_env, cwd=config.DBT_PROJECT_DIR).seconds
        print("airflow dags test taza_build_kpis ...", flush=True)
        dag_run = measured([str(BIN / "airflow"), "dags", "test", "taza_build_kpis"], stack.env)
        dag, tasks = dag_run.seconds, dag_run.output.count("[DAG TEST] end task")
        day_rows = land_one_more_telemetry_day(stack)
        print(f"one more day of telemetry landed ({day_rows:,} readings)", flush=True)
        selection = planned_refresh(stack, manifest)
        print(f"dbt build of those {len(selection)} nodes ...", flush=True)
        refresh = measured([*dbt_build, "--select", " ".join(selection)], dbt_env, cwd=config.DBT_PROJECT_DIR).seconds
        print("dbt build --full-refresh ...", flush=True)
        full = measured([*dbt_build, "--full-refresh"], dbt_env, cwd=config.DBT_PROJECT_DIR).seconds
    print(f"\n{'what':<40}{'seconds':>10}")
    print(f"{'plain dbt build (' + str(nodes) + ' nodes)':<40}{baseline:>10.1f}")
    print(f"{'taza_build_kpis via Cosmos (dags test)':<40}{dag:>10.1f}")
    print(f"ratio DAG / dbt build: {dag / baseline:.2f} "
          f"(about {(dag - baseline) / tasks:.2f} s more per task; {tasks} tasks: the one dbt build, one per "
          f"model, seed and snapshot with its tests, the producer's end, the build's record, the per-model lineage and the reports)")
    print(f"KPI refresh after one new day of telemetry: {refresh:.1f} s; full build: {full:.1f} s "
          f"(ratio {refresh / full:.2f})")
    return [Row("KPI DAG (Cosmos watcher, `dags test`) / plain `dbt build`, demo load", f"{dag:.1f} s",
                f"{baseline:.1f} s", dag / baseline, "<= 1.5"),
            Row(f"KPI refresh (`dbt build` of the {len(selection)} models the DAG plans, with their tests) after one new day of "
                f"telemetry ({day_rows:,} readings) / "
                "full KPI build (`--full-refresh`)", f"{refresh:.1f} s", f"{full:.1f} s", refresh / full, "<= 0.10")]


if __name__ == "__main__":
    emit(main())
