"""One table of every benchmark's ratio against its same-run baseline, for `make bench`.

Each benchmark script returns ``Row``s from its ``main()``; run on its own it prints them,
under ``run_all.py`` it also writes them to the file named by TAZA_BENCH_ROWS so that the
table collects every script's rows, each script having run in its own process (each
starts its own warehouse, simulator and Airflow home).
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

RESULTS_FILE = Path(__file__).with_name("results.md")


@dataclass(frozen=True)
class Row:
    """One measurement against its baseline; ``ratio`` is measured / baseline (for rates, the
    measured rate over the baseline rate), ``target`` the issue's bound, e.g. '<= 1.5'."""

    what: str
    measured: str
    baseline: str
    ratio: float
    target: str

    def meets_target(self) -> bool:
        bound, value = self.target.split()
        return self.ratio <= float(value) if bound == "<=" else self.ratio >= float(value)


def emit(rows: list[Row]) -> None:
    """Print the rows; append them to TAZA_BENCH_ROWS when running under run_all.py."""
    print(table(rows))
    if path := os.environ.get("TAZA_BENCH_ROWS"):
        with open(path, "a") as out:
            for row in rows:
                out.write(json.dumps(asdict(row)) + "\n")


def read_rows(path: Path) -> list[Row]:
    return [Row(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]


def table(rows: list[Row]) -> str:
    lines = ["| what | measured | baseline (same run) | ratio | target | met |", "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {r.what} | {r.measured} | {r.baseline} | {r.ratio:.2f} | {r.target} | "
              f"{'yes' if r.meets_target() else 'no'} |" for r in rows]
    return "\n".join(lines)


def write_results(rows: list[Row]) -> str:
    """benchmarks/results.md: the machine, the commit and the table."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip() or "unknown"
    text = "\n".join([
        "# Benchmark results (`make bench`)",
        "",
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Each ratio is against a baseline measured in the same run.",
        "",
        table(rows),
        "",
    ])
    RESULTS_FILE.write_text(text)
    return text
