"""Benchmark: the KPI DAG (Cosmos, one Airflow task per dbt node) against one plain `dbt build`.

Both build the same project on the same loaded warehouse in the same run; the ratio is
what orchestrating dbt through Airflow costs. Run with `make bench`.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

from stack import BIN, local_stack


def timed(argv: list[str], env: dict, cwd=None) -> float:
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv[:4])} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> None:
    from taza import config
    from taza.pipeline.dbt import dbt_environment

    with local_stack() as stack:
        print("loading the whole history through taza_ingest_regional ...", flush=True)
        dbt_env = {**stack.env, **dbt_environment(stack.warehouse_url)}
        timed([str(BIN / "dbt"), "parse", "--profiles-dir", str(config.DBT_PROJECT_DIR)], dbt_env,
              cwd=config.DBT_PROJECT_DIR)
        conf = json.dumps({"period_from": "2021-01", "period_to": "2026-10"})
        timed([str(BIN / "airflow"), "dags", "test", "taza_ingest_regional", "-c", conf], stack.env)
        manifest = json.loads((config.DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
        nodes = sum(1 for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed", "test"))
        print("plain dbt build ...", flush=True)
        baseline = timed([str(BIN / "dbt"), "build", "--profiles-dir", str(config.DBT_PROJECT_DIR)], dbt_env,
                         cwd=config.DBT_PROJECT_DIR)
        print("airflow dags test taza_build_kpis ...", flush=True)
        dag = timed([str(BIN / "airflow"), "dags", "test", "taza_build_kpis"], stack.env)
    print(f"\n{'what':<40}{'seconds':>10}")
    print(f"{'plain dbt build (' + str(nodes) + ' nodes)':<40}{baseline:>10.1f}")
    print(f"{'taza_build_kpis via Cosmos (dags test)':<40}{dag:>10.1f}")
    print(f"ratio DAG / dbt build: {dag / baseline:.2f}")


if __name__ == "__main__":
    main()
