"""Benchmark: `make test` on a fresh clone of the committed tree, as a new user or CI runs it.

The clone (HEAD; uncommitted changes are not in it) gets its own virtual environment by
`make setup`, timed apart, then `make test` runs the whole suite. Its targets are absolute
(15 minutes and 4 GB on 2 cores): no same-run baseline exists for the suite, so each row's
ratio is the measured value itself against its bound. Peak memory is the largest process's
(pytest runs the DAGs in-process), as the other rows measure it. Takes about half an hour.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from measure import measured
from results import Row, emit

REPO = Path(__file__).resolve().parent.parent
_SUMMARY = re.compile(r"=+ (\d+) passed.* in ([\d.]+)s")


def main() -> list[Row]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("TAZA_", "AIRFLOW"))}
    with tempfile.TemporaryDirectory(prefix="taza-bench-suite-") as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        print("make setup on a fresh clone ...", flush=True)
        setup = measured(["make", "setup"], env, cwd=clone)
        print(f"    {setup.seconds:.0f} s; make test ...", flush=True)
        suite = measured(["make", "test"], env, cwd=clone)
    summary = _SUMMARY.search(suite.output)
    passed, pytest_seconds = (int(summary.group(1)), float(summary.group(2))) if summary else (0, 0.0)
    minutes, peak_gb = suite.seconds / 60, suite.peak_rss_mb / 1024
    print(f"make setup {setup.seconds:.0f} s; make test {suite.seconds:.0f} s ({passed} passed, pytest's own "
          f"{pytest_seconds:.0f} s); peak RSS of its largest process {peak_gb:.2f} GB")
    return [Row(f"`make test` wall time on a fresh clone after `make setup` ({setup.seconds:.0f} s), {passed} passed, "
                "minutes (absolute target, no baseline)", f"{minutes:.1f} min", "-", minutes, "<= 15"),
            Row("`make test`: peak RSS of its largest process, GB (absolute target)", f"{peak_gb:.2f} GB", "-",
                peak_gb, "<= 4")]


if __name__ == "__main__":
    emit(main())
