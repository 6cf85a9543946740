"""Benchmark: `make test` on a fresh clone of the committed tree, as a new user or CI runs it.

The clone (HEAD; uncommitted changes are not in it) gets its own virtual environment by
`make setup`, timed apart, then `make test` runs the whole suite. Its targets are absolute
(15 minutes and 4 GB on 2 cores): no same-run baseline exists for the suite, so each row's
ratio is the measured value itself against its bound. Memory is measured twice: the largest
process's peak (pytest runs the DAGs in-process), as the other rows measure it, and the peak
of the whole suite at once (its pytest-xdist workers side by side, their PostgreSQL servers,
dbt and Airflow subprocesses), sampled each second as proportional set size, so pages that
processes share are counted once. Takes about 20 minutes.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
from pathlib import Path

import psutil

from measure import measured
from results import Row, emit

REPO = Path(__file__).resolve().parent.parent
_SUMMARY = re.compile(r"=+ (\d+) passed.* in ([\d.]+)s")
# A test session's temporary state dir (tests/conftest.py), named in its PostgreSQL's command line:
# the servers are daemons, no longer descendants of the suite.
_TEST_STATE_DIR = "taza-test-"


def _suite_processes() -> list[psutil.Process]:
    mine = psutil.Process().children(recursive=True)
    theirs = [p for p in psutil.process_iter(["cmdline"]) if _TEST_STATE_DIR in " ".join(p.info["cmdline"] or ())]
    return list({p.pid: p for p in [*mine, *theirs]}.values())


def _total_pss_mb() -> float:
    total = 0
    for process in _suite_processes():
        try:
            total += process.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total / 2**20


class PeakMemory:
    """The largest total proportional set size of the suite's processes, sampled each second."""

    def __init__(self):
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(1.0):
            self.peak_mb = max(self.peak_mb, _total_pss_mb())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def main() -> list[Row]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("TAZA_", "AIRFLOW"))}
    with tempfile.TemporaryDirectory(prefix="taza-bench-suite-") as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        print("make setup on a fresh clone ...", flush=True)
        setup = measured(["make", "setup"], env, cwd=clone)
        print(f"    {setup.seconds:.0f} s; make test ...", flush=True)
        with PeakMemory() as whole_suite:
            suite = measured(["make", "test"], env, cwd=clone)
    summary = _SUMMARY.search(suite.output)
    passed, pytest_seconds = (int(summary.group(1)), float(summary.group(2))) if summary else (0, 0.0)
    minutes, peak_gb, whole_gb = suite.seconds / 60, suite.peak_rss_mb / 1024, whole_suite.peak_mb / 1024
    print(f"make setup {setup.seconds:.0f} s; make test {suite.seconds:.0f} s ({passed} passed, pytest's own "
          f"{pytest_seconds:.0f} s); peak RSS of its largest process {peak_gb:.2f} GB, of all its processes "
          f"at once {whole_gb:.2f} GB")
    return [Row(f"`make test` wall time on a fresh clone after `make setup` ({setup.seconds:.0f} s), {passed} passed, "
                "minutes (absolute target, no baseline)", f"{minutes:.1f} min", "-", minutes, "<= 15"),
            Row("`make test`: peak RSS of its largest process, GB (absolute target)", f"{peak_gb:.2f} GB", "-",
                peak_gb, "<= 4"),
            Row("`make test`: peak memory of all its processes at once (workers, servers, subprocesses; "
                "PSS sampled each second), GB (absolute target)", f"{whole_gb:.2f} GB", "-", whole_gb, "<= 4")]


if __name__ == "__main__":
    emit(main())
