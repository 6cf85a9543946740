"""Run a long-lived taza command (the source simulator) in the background with a state file."""
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

    def start(self, argv: list[str], url: str, health_path: str, extra: dict | None = None,
              timeout_s: float = 30) -> dict:
        """Start ``python -m taza.cli <argv>`` unless running; wait until ``url+health_path`` answers."""
        if (state := self.state()) is not None:
            return state
        with open(self.log_file, "ab") as log:
            process = subprocess.Popen([sys.executable, "-m", "taza.cli", *argv], stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
        state = {"pid": process.pid, "url": url, **(extra or {})}
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start (code {process.returncode}); "
                                   f"see {self.log_file}:\n{_tail(self.log_file)}")
            try:
                if requests.get(url + health_path, timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                process.terminate()
                raise RuntimeError(f"{self.name} did not answer on {url} within {timeout_s:.0f}s; "
                                   f"see {self.log_file}")
            time.sleep(0.2)
        self.state_file.write_text(json.dumps(state))
        return state

    def stop(self) -> bool:
        state = self.state()
        self.state_file.unlink(missing_ok=True)
        if state is None:
            return False
        os.kill(state["pid"], signal.SIGTERM)
        try:
            psutil.Process(state["pid"]).wait(10)
        except psutil.Error:
            pass
        return True


def _tail(path: Path, lines: int = 10) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""
