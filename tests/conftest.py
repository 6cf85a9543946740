"""Session-wide real infrastructure: one embedded PostgreSQL, one simulator, one Airflow.

Everything runs for real and is isolated from the developer's own ``.taza`` state:
the session gets a temporary state dir (warehouse data, secrets, Airflow home).
Airflow reads its configuration when first imported, so no test module imports
airflow at import time; the ``airflow_env`` fixture sets the environment first.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

STATE_DIR = Path(tempfile.mkdtemp(prefix="taza-test-"))
os.environ["TAZA_STATE_DIR"] = str(STATE_DIR)
for inherited in ("TAZA_WAREHOUSE_URL", "TAZA_WAREHOUSE_PORT", "AIRFLOW_HOME"):
    os.environ.pop(inherited, None)

# The simulator's "today" is fixed so every run of the suite sees the same history.
SIMULATOR_TODAY = date(2026, 11, 24)
SIMULATOR_SCALE = 0.05
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def warehouse():
    from taza.warehouse.embedded import EmbeddedWarehouse
    from taza.warehouse.provision import start_embedded

    server = EmbeddedWarehouse()
    start_embedded(warehouse=server)
    yield server
    if "airflow.settings" in sys.modules:  # close Airflow's pooled connections before the server goes
        sys.modules["airflow.settings"].dispose_orm()
    server.stop()
    shutil.rmtree(STATE_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def warehouse_url(warehouse) -> str:
    return warehouse.url()


@pytest.fixture(scope="session")
def simulator_config():
    from taza import config
    from taza.simulator import SimulatorConfig

    return SimulatorConfig(seed=7, scale=SIMULATOR_SCALE, api_key=config.source_api_key(),
                           today=SIMULATOR_TODAY)


@pytest.fixture(scope="session")
def simulator(simulator_config):
    from taza.simulator.server import start_in_thread

    running = start_in_thread(simulator_config)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def dbt_manifest(warehouse_url) -> Path:
    """dbt parse, so Cosmos renders the current project."""
    from taza import config
    from taza.pipeline.dbt import dbt_environment

    subprocess.run([str(BIN / "dbt"), "parse", "--profiles-dir", str(config.DBT_PROJECT_DIR), "--quiet"],
                   cwd=config.DBT_PROJECT_DIR, env={**os.environ, **dbt_environment(warehouse_url)},
                   check=True)
    return config.DBT_MANIFEST


@pytest.fixture(scope="session")
def staging_views(warehouse_url, dbt_manifest) -> None:
    """The staging views over raw (built by dbt on the tables the bootstrap's migrations create)."""
    from taza import config
    from taza.pipeline.dbt import dbt_environment

    subprocess.run([str(BIN / "dbt"), "build", "--select", "+staging", "--indirect-selection", "cautious",
                    "--profiles-dir", str(config.DBT_PROJECT_DIR), "--quiet"],
                   cwd=config.DBT_PROJECT_DIR, env={**os.environ, **dbt_environment(warehouse_url)}, check=True)


@pytest.fixture(scope="session")
def airflow_env(warehouse_url, simulator, dbt_manifest) -> dict:
    """Airflow configured for this session (metadata DB migrated), set in os.environ."""
    from taza.airflow_env import airflow_environment

    env = airflow_environment(simulator.url)
    os.environ.update(env)
    subprocess.run([str(BIN / "airflow"), "db", "migrate"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return env


@pytest.fixture(scope="session")
def dagbag(airflow_env):
    from airflow.dag_processing.dagbag import DagBag

    from taza import config

    return DagBag(dag_folder=str(config.DAGS_DIR))


@pytest.fixture()
def db(warehouse_url):
    """A cursor on the warehouse, autocommit."""
    import psycopg2

    conn = psycopg2.connect(warehouse_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        yield cur
    conn.close()
