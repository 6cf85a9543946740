"""`make bench`: every benchmark in its own process, then one table in benchmarks/results.md."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from results import read_rows, write_results

SCRIPTS = ("telemetry_ingest.py", "validation_vs_sql.py", "kpi_dag_vs_dbt_build.py", "scale.py", "demo_wall_time.py",
           "suite_wall_time.py")


def main() -> None:
    here = Path(__file__).parent
    with tempfile.TemporaryDirectory() as tmp:
        rows_file = Path(tmp) / "rows.jsonl"
        rows_file.touch()
        for script in SCRIPTS:
            print(f"\n== {script}", flush=True)
            subprocess.run([sys.executable, str(here / script)], cwd=here, check=True,
                           env={**os.environ, "TAZA_BENCH_ROWS": str(rows_file)})
        print("\n" + write_results(read_rows(rows_file)))


if __name__ == "__main__":
    main()
