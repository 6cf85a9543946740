"""Session-wide real infrastructure: one embedded PostgreSQL, one simulator, one Airflow.

Everything runs for real and is isolated from the developer's own ``.taza`` state:
the session gets a temporary state dir (warehouse data, secrets, Airflow home).
Airflow reads its configuration when first imported, so no test module imports
airflow at import time; the ``airflow_env`` fixture sets the environment first.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from dbt_calls import run_dbt

STATE_DIR = Path(tempfile.mkdtemp(prefix="taza-test-"))
os.environ["TAZA_STATE_DIR"] = str(STATE_DIR)
# dbt's manifest and artifacts of this session (see tests/dbt_calls.py): never the project's own.
os.environ["TAZA_DBT_TARGET_DIR"] = str(STATE_DIR / "dbt" / "target")
for inherited in ("TAZA_WAREHOUSE_URL", "TAZA_WAREHOUSE_PORT", "AIRFLOW_HOME"):
    os.environ.pop(inherited, None)

# The simulator's "today" is fixed so every run of the suite sees the same history.
SIMULATOR_TODAY = date(2026, 11, 24)
SIMULATOR_SCALE = 0.05
BIN = Path(sys.executable).parent
# The whole history the simulator serves on SIMULATOR_TODAY (the AMS telemetry only its last month).
HISTORY = {"period_from": "2021-01", "period_to": "2026-10", "watermark_from": "2026-10"}


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

    run_dbt(warehouse_url, "parse")
    return config.DBT_MANIFEST


@pytest.fixture(scope="session")
def staging_views(warehouse_url, dbt_manifest) -> None:
    """The staging views over raw (built by dbt on the tables the bootstrap's migrations create)."""
    run_dbt(warehouse_url, "build", "--select", "+staging", "--indirect-selection", "cautious")


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


@dataclass(frozen=True)
class BuiltHistory:
    """The whole history built once per session: its ingest runs' ids by DAG, the reports the KPI
    DAG wrote, the OpenLineage events of its runs, and ``restore()``, which puts the warehouse
    back as the build left it."""

    run_ids: dict[str, str]
    reports: Path
    lineage_events: Path
    restore: Callable[[], None]


@pytest.fixture(scope="session")
def built_history(airflow_env, warehouse_url, tmp_path_factory) -> BuiltHistory:
    """HISTORY through the three ingest DAGs, then the KPI DAG (its last task writes the reports),
    on an empty warehouse, kept as a copy of the warehouse database: the tests that read a fully
    built warehouse share one build and each starts from it, whatever the tests before or between
    them landed or broke (a scheduled run of an earlier module lands the months up to today's,
    past SIMULATOR_TODAY). The runs' OpenLineage events are what the session's events file gained
    during them, copied to a file of their own: the transport must not change in this process,
    since the events of tasks run in-process are sent from a thread by a client built once."""
    from dag_runs import INGEST_DAGS, run_dag
    from warehouse_copies import empty_warehouse, restore_copy, save_copy

    empty_warehouse(warehouse_url)

    reports = tmp_path_factory.mktemp("reports")
    session_events = Path(json.loads(os.environ["AIRFLOW__OPENLINEAGE__TRANSPORT"])["log_file_path"])
    offset = session_events.stat().st_size if session_events.exists() else 0
    previous = os.environ.get("TAZA_REPORTS_DIR")
    os.environ["TAZA_REPORTS_DIR"] = str(reports)
    try:
        run_ids = {dag_id: run_dag(dag_id, HISTORY).run_id for dag_id in INGEST_DAGS}
        run_dag("taza_build_kpis")
    finally:
        if previous is None:
            os.environ.pop("TAZA_REPORTS_DIR", None)
        else:
            os.environ["TAZA_REPORTS_DIR"] = previous
    events = tmp_path_factory.mktemp("openlineage") / "events.jsonl"
    with session_events.open("rb") as appended:
        appended.seek(offset)
        events.write_bytes(appended.read())
    save_copy(warehouse_url, "taza_built_history")
    return BuiltHistory(run_ids, reports, events, lambda: restore_copy(warehouse_url, "taza_built_history"))


@pytest.fixture()
def db(warehouse_url):
    """A cursor on the warehouse, autocommit."""
    import psycopg2

    conn = psycopg2.connect(warehouse_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        yield cur
    conn.close()


def pytest_unconfigure(config):
    """The session's state dir goes with it, also where no test started a warehouse (a run of
    unit tests only, or xdist's controlling process)."""
    shutil.rmtree(STATE_DIR, ignore_errors=True)


BUILT_HISTORY_GROUP = "built_history"


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which turns the marks into scopes
def pytest_collection_modifyitems(config, items):
    """Group the tests for pytest-xdist (`make test` runs ``-n 2 --dist loadgroup``): a module's
    tests run on one worker, so its module fixtures are set up once, and every module that reads
    the session's build of the whole history (``built_history``, minutes) joins one group that
    runs first, so one worker builds it once while the other takes the rest. Without xdist the
    marks do nothing and only the order changes (those modules first)."""
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    first, rest = [], []
    for module, module_items in modules.items():
        reads_history = any(BUILT_HISTORY_GROUP in item.fixturenames for item in module_items)
        for item in module_items:
            item.add_marker(pytest.mark.xdist_group(BUILT_HISTORY_GROUP if reads_history else module))
        (first if reads_history else rest).extend(module_items)
    items[:] = first + rest
