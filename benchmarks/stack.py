"""A throwaway local stack for benchmarks: its own warehouse, simulator and Airflow home."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

BIN = Path(sys.executable).parent


@dataclass
class Stack:
    warehouse_url: str
    simulator_url: str
    env: dict


@contextlib.contextmanager
def local_stack(scale: float = 1.0, today: date = date(2026, 11, 24), airflow: bool = True) -> Iterator[Stack]:
    state = Path(tempfile.mkdtemp(prefix="taza-bench-"))
    os.environ["TAZA_STATE_DIR"] = str(state)
    os.environ.pop("TAZA_WAREHOUSE_URL", None)
    from taza import config
    from taza.airflow_env import airflow_environment
    from taza.simulator import SimulatorConfig
    from taza.simulator.server import start_in_thread
    from taza.warehouse.embedded import EmbeddedWarehouse
    from taza.warehouse.provision import start_embedded

    warehouse = EmbeddedWarehouse()
    start_embedded(warehouse=warehouse)
    simulator = start_in_thread(SimulatorConfig(seed=42, scale=scale, api_key=config.source_api_key(), today=today))
    try:
        env = airflow_environment(simulator.url)
        if airflow:
            subprocess.run([str(BIN / "airflow"), "db", "migrate"], env=env, check=True, capture_output=True)
        yield Stack(warehouse.url(), simulator.url, env)
    finally:
        simulator.stop()
        warehouse.stop()
        shutil.rmtree(state, ignore_errors=True)
