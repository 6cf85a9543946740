"""Wall time and peak memory of a command the benchmarks run (airflow, dbt), in one place.

The command runs under a small Python wrapper whose children's peak resident set size
(``RUSAGE_CHILDREN``: the largest process among the command and its descendants) is its
own, so one measurement never includes another's.
"""
from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass

_MARK = "TAZA_PEAK_RSS_KB="
_WRAPPER = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
            f"print('{_MARK}' + str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss), file=sys.stderr); "
            "sys.exit(code)")


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mb: float
    output: str


def measured(argv: list[str], env: dict, cwd=None) -> Measured:
    """Run the command to its end (exit the benchmark with its output's tail if it fails)."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _WRAPPER, *argv], env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv[:4])} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    stderr, _, peak = result.stderr.rpartition(_MARK)
    return Measured(seconds, int(peak.strip()) / 1024, result.stdout + stderr)
