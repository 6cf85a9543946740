"""Benchmark: the KPI DAG (Cosmos WATCHER: one `dbt build` task, one task per node) against one plain `dbt build`;
then the KPI refresh after one new day of telemetry against a full build.

Both build the same project on the same warehouse, loaded as the demo loads it, in the
same run; the ratio is what orchestrating dbt through Airflow costs. Then one more day of
AMS telemetry is landed and gated (the ingest task's own functions) and `dbt build` of the
nodes the KPI DAG's next run would build (taza.pipeline.kpi_refresh, planned from the DAG's
build, on record in audit.kpi_build) refreshes the KPIs; the baseline is
`dbt build --full-refresh` of the same warehouse right after. The demo load has every reading up to the simulator's today, so
the day is the one before the loaded window (a late day: the same work as a next one).

Each ratio also gets its floor, measured in the same run: what the row would read if the
orchestration cost nothing beyond Airflow's and dbt's own fixed costs.
- The DAG's floor: the plain `dbt build`, plus `airflow dags test` of the DAG with no task
  run (every task marked success: the CLI, the DAG parsed and synced, the run and its task
  states), plus the start of the in-process execution API (the first task run waits for
  it), plus the work the DAG does beyond the build: its last task's reports, written once
  more from the same warehouse. Only that last part is this project's code.
- The refresh's floor: dbt's start-up with nothing to build.
A floor above a row's target means no orchestration of these tools meets it in that setting.
Run with `make bench`.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def execution_api_start_seconds(env: dict) -> float:
    """Seconds the in-process execution API takes to answer its first request, in a new process
    (as `airflow dags test` starts it for its first task): the app builds its routes then."""
    code = ("import time\nimport httpx\n"
            "from airflow.api_fastapi.execution_api.app import InProcessExecutionAPI\n"
            "client = httpx.Client(transport=InProcessExecutionAPI().transport, base_url='http://in-process')\n"
            "started = time.perf_counter()\n"
            "assert client.get('/health').status_code == 200\n"
            "print(time.perf_counter() - started)\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr[-3000:])
    return float(out.stdout.strip().splitlines()[-1])


def reports_seconds(stack) -> float:
    """Seconds to write the reports the KPI DAG's last task writes (taza.pipeline.tasks.reports),
    into a directory of their own."""
    from taza.reports.kpi_dashboard import write_kpi_dashboard
    from taza.reports.quality_report import write_quality_report

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        write_kpi_dashboard(stack.warehouse_url, Path(out) / "kpi")
        write_quality_report(stack.warehouse_url, Path(out) / "quality")
        return time.perf_counter() - started


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
        print("airflow dags test taza_build_kpis, every task marked success (Airflow's own cost of a run) ...",
              flush=True)
        no_task_run = measured([str(BIN / "airflow"), "dags", "test", "taza_build_kpis", "--mark-success-pattern", ".*"],
                               stack.env).seconds
        api_start = execution_api_start_seconds(stack.env)
        print("airflow dags test taza_build_kpis ...", flush=True)
        dag_run = measured([str(BIN / "airflow"), "dags", "test", "taza_build_kpis"], stack.env)
        dag, tasks = dag_run.seconds, dag_run.output.count("[DAG TEST] end task")
        reports = reports_seconds(stack)
        day_rows = land_one_more_telemetry_day(stack)
        print(f"one more day of telemetry landed ({day_rows:,} readings)", flush=True)
        selection = planned_refresh(stack, manifest)
        print(f"dbt build of those {len(selection)} nodes ...", flush=True)
        refresh = measured([*dbt_build, "--select", " ".join(selection)], dbt_env, cwd=config.DBT_PROJECT_DIR).seconds
        print("dbt build --full-refresh ...", flush=True)
        full = measured([*dbt_build, "--full-refresh"], dbt_env, cwd=config.DBT_PROJECT_DIR).seconds
        print("dbt build of a source alone (nothing to build: dbt's start-up) ...", flush=True)
        nothing = measured([*dbt_build, "--select", "source:industry.industry__telemetry"], dbt_env,
                           cwd=config.DBT_PROJECT_DIR)
        dbt_start = nothing.seconds
        if "Nothing to do" not in nothing.output:
            sys.exit("the start-up build built something:\n" + nothing.output[-2000:])
    print(f"\n{'what':<40}{'seconds':>10}")
    print(f"{'plain dbt build (' + str(nodes) + ' nodes)':<40}{baseline:>10.1f}")
    print(f"{'taza_build_kpis via Cosmos (dags test)':<40}{dag:>10.1f}")
    print(f"ratio DAG / dbt build: {dag / baseline:.2f} "
          f"(about {(dag - baseline) / tasks:.2f} s more per task; {tasks} tasks: the one dbt build, one per "
          f"model, seed and snapshot with its tests, the producer's end, the build's record, the per-model lineage and the reports)")
    floor = baseline + no_task_run + api_start + reports
    print(f"floor of that ratio: {floor / baseline:.2f} (the dbt build, then {no_task_run:.1f} s of `dags test` with no "
          f"task run, {api_start:.1f} s for the in-process execution API to start and {reports:.1f} s of reports)")
    print(f"KPI refresh after one new day of telemetry: {refresh:.1f} s; full build: {full:.1f} s "
          f"(ratio {refresh / full:.2f}; floor {dbt_start / full:.2f}: dbt's start-up, {dbt_start:.1f} s)")
    return [Row("KPI DAG (Cosmos watcher, `dags test`) / plain `dbt build`, demo load", f"{dag:.1f} s",
                f"{baseline:.1f} s", dag / baseline, "<= 1.5"),
            Row("floor of the row above: the same `dbt build`, plus `dags test` of the DAG with every task marked "
                "success (no task run), the in-process execution API's start and the reports the DAG writes",
                f"{floor:.1f} s",
                f"{baseline:.1f} s", floor / baseline, "<= 1.5"),
            Row(f"KPI refresh (`dbt build` of the {len(selection)} models the DAG plans, with their tests) after one new day of "
                f"telemetry ({day_rows:,} readings) / "
                "full KPI build (`--full-refresh`)", f"{refresh:.1f} s", f"{full:.1f} s", refresh / full, "<= 0.10"),
            Row("floor of the row above: dbt's start-up (`dbt build` of a source alone, nothing to build) / the same full "
                "build", f"{dbt_start:.1f} s", f"{full:.1f} s", dbt_start / full, "<= 0.10")]


if __name__ == "__main__":
    emit(main())
