"""Benchmark: `make demo`'s wall time after set-up (the venv exists), as a new user's first run.

`taza demo` runs on a fresh state directory (its own embedded warehouse, simulator and
Airflow metadata database, created by the run) with its reports in a temporary
directory, then everything it started is stopped. The issue's target is absolute
(180 s on 2 cores): no same-run baseline exists for the whole pipeline, so the row's
ratio is the seconds themselves against that bound. Prints the demo's own step times.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile

from measure import measured
from results import Row, emit
from stack import BIN

_STEP = re.compile(r"^\[(\d+)/\d+\] (.*)$")
_DONE = re.compile(r"^\s+(?:done|running on port \d+|http\S+) \((\d+\.\d)s\)$")


def step_times(output: str) -> list[tuple[str, str]]:
    """(step title, its seconds as the demo printed them), in order."""
    steps, title = [], None
    for line in output.splitlines():
        if match := _STEP.match(line):
            title = match.group(2)
        elif title and (match := _DONE.match(line)):
            steps.append((title, match.group(1)))
            title = None
    return steps


def main() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="taza-bench-demo-") as state:
        env = {**os.environ, "TAZA_STATE_DIR": state, "TAZA_REPORTS_DIR": os.path.join(state, "reports")}
        env.pop("TAZA_WAREHOUSE_URL", None)
        print("taza demo on a fresh state directory ...", flush=True)
        try:
            demo = measured([str(BIN / "taza"), "demo"], env)
        finally:
            subprocess.run([str(BIN / "taza"), "stop"], env=env, capture_output=True)
    for title, seconds in step_times(demo.output):
        print(f"{seconds:>8} s  {title[:100]}")
    print(f"{demo.seconds:>8.1f} s  whole demo (peak RSS of its largest process {demo.peak_rss_mb:,.0f} MB)")
    return [Row("`make demo` wall time after set-up, fresh state, seconds (absolute target, no baseline)",
                f"{demo.seconds:.0f} s", "-", demo.seconds, "<= 180")]


if __name__ == "__main__":
    emit(main())
