"""Long-lived commands (the source simulator, Airflow components) in the background, with state files."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests

from taza import config


class Service:
    def __init__(self, name: str):
        self.name = name
        self.state_file = config.state_dir() / f"{name}.json"
        self.log_file = config.state_dir() / f"{name}.log"

    def state(self) -> dict | None:
        """The running service's state ({pid, url, ...}), or None when it is not running."""
        if not self.state_file.exists():
            return None
        state = json.loads(self.state_file.read_text())
        if not psutil.pid_exists(state["pid"]):
            return None
        return state

    def start(self, argv: list[str], url: str | None, health_path: str = "", extra: dict | None = None,
              timeout_s: float = 30, program: list[str] | None = None, env: dict | None = None) -> dict:
        """Start ``<program> <argv>`` unless running; wait until ``url+health_path`` answers.

        ``program`` defaults to ``python -m taza.cli``. With ``url`` None there is nothing
        to wait for (a process without an HTTP endpoint). The process leads its own
        session, so ``stop`` ends it together with the processes it started.
        """
        if (state := self.state()) is not None:
            return state
        program = program or [sys.executable, "-m", "taza.cli"]
        with open(self.log_file, "ab") as log:
            process = subprocess.Popen([*program, *argv], stdout=log, env=env,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
        state = {"pid": process.pid, "url": url, **(extra or {})}
        deadline = time.monotonic() + timeout_s
        while url is not None:
            if process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start (code {process.returncode}); "
                                   f"see {self.log_file}:\n{_tail(self.log_file)}")
            try:
                if requests.get(url + health_path, timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGTERM)
                raise RuntimeError(f"{self.name} did not answer on {url} within {timeout_s:.0f}s; "
                                   f"see {self.log_file}")
            time.sleep(0.2)
        self.state_file.write_text(json.dumps(state))
        return state

    def stop(self) -> bool:
        """Stop the service and the processes it started; False when it was not running."""
        return bool(stop_services([self]))


STOP_TIMEOUT_S = 30.0  # then SIGKILL


def stop_services(services: list[Service], timeout_s: float = STOP_TIMEOUT_S) -> list[Service]:
    """Stop ``services`` together: SIGTERM to each one's process group, in the order given, then
    wait for all of them at once, and SIGKILL the groups still running after ``timeout_s``.
    Airflow's components each take 2-4 s to shut down, so one after another took their sum
    (12 s for the UI's four). Returns those that were running."""
    stopped, waiting = [], []
    for service in services:
        state = service.state()
        service.state_file.unlink(missing_ok=True)
        if state is None:
            continue
        stopped.append(service)
        try:
            process = psutil.Process(state["pid"])
            os.killpg(state["pid"], signal.SIGTERM)
            waiting.append(process)
        except (ProcessLookupError, psutil.Error):
            pass  # it has just ended
    _, still_running = psutil.wait_procs(waiting, timeout=timeout_s)
    for process in still_running:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return stopped


def _tail(path: Path, lines: int = 10) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""
