"""Benchmark: the KPI DAG (Cosmos WATCHER: one `dbt build` task, one task per model) against one plain `dbt build`.

Both build the same project on the same warehouse, loaded as the demo loads it, in the
same run; the ratio is what orchestrating dbt through Airflow costs. Run with `make bench`.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

from results import Row, emit
from stack import BIN, local_stack

INGEST_DAGS = ("taza_ingest_regional", "taza_ingest_nursery", "taza_ingest_industry")
# The demo's load: every family's history, the AMS telemetry only for its last month.
HISTORY = {"period_from": "2021-01", "period_to": "2026-10", "watermark_from": "2026-10"}


def timed(argv: list[str], env: dict, cwd=None) -> tuple[float, str]:
    """Seconds the command took, and its output."""
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv[:4])} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return time.perf_counter() - started, result.stdout + result.stderr


def main() -> list[Row]:
    from taza import config
    from taza.pipeline.dbt import dbt_environment

    with local_stack() as stack:
        dbt_env = {**stack.env, **dbt_environment(stack.warehouse_url)}
        timed([str(BIN / "dbt"), "parse", "--profiles-dir", str(config.DBT_PROJECT_DIR)], dbt_env,
              cwd=config.DBT_PROJECT_DIR)
        for dag_id in INGEST_DAGS:
            print(f"loading the history through {dag_id} (telemetry: its last month) ...", flush=True)
            timed([str(BIN / "airflow"), "dags", "test", dag_id, "-c", json.dumps(HISTORY)], stack.env)
        manifest = json.loads((config.DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
        nodes = sum(1 for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed", "snapshot", "test"))
        print("plain dbt build ...", flush=True)
        baseline, _ = timed([str(BIN / "dbt"), "build", "--profiles-dir", str(config.DBT_PROJECT_DIR)], dbt_env,
                         cwd=config.DBT_PROJECT_DIR)
        print("airflow dags test taza_build_kpis ...", flush=True)
        dag, output = timed([str(BIN / "airflow"), "dags", "test", "taza_build_kpis"], stack.env)
        tasks = output.count("[DAG TEST] end task")
    print(f"\n{'what':<40}{'seconds':>10}")
    print(f"{'plain dbt build (' + str(nodes) + ' nodes)':<40}{baseline:>10.1f}")
    print(f"{'taza_build_kpis via Cosmos (dags test)':<40}{dag:>10.1f}")
    print(f"ratio DAG / dbt build: {dag / baseline:.2f} "
          f"(about {(dag - baseline) / tasks:.2f} s more per task; {tasks} tasks: the one dbt build, one per "
          f"model, seed and snapshot, one per model's tests, and the reports)")
    return [Row("KPI DAG (Cosmos watcher, `dags test`) / plain `dbt build`, demo load", f"{dag:.1f} s",
                f"{baseline:.1f} s", dag / baseline, "<= 1.5")]


if __name__ == "__main__":
    emit(main())
