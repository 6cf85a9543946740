"""The environment Airflow runs in: home, DAGs and plugins of this project, connections.

Everything is set with ``setdefault``, so a deployment's own settings always win.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from taza import config
from taza.sources.connections import SOURCE_FAMILIES, connection_json, family_settings
from taza.warehouse.connection import url_parts, warehouse_url


def _with_database(url: str, database: str, driver: str = "postgresql") -> str:
    scheme, rest = url.split("://", 1)
    server = rest.split("/", 1)[0]
    return f"{driver}://{server}/{database}"


def lineage_events_file() -> Path:
    """Where the OpenLineage events of every task run go by default: one JSON event a line."""
    path = config.state_dir() / "openlineage" / "events.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def airflow_environment(simulator_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    warehouse = warehouse_url()
    defaults = {
        "AIRFLOW_HOME": str(config.state_dir() / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(config.DAGS_DIR),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(config.PLUGINS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": os.environ.get(
            "TAZA_AIRFLOW_DB_URL", _with_database(warehouse, "airflow", "postgresql+psycopg2")),
        "AIRFLOW__DATABASE__EXTERNAL_DB_MANAGERS": "",
        # The KPI DAG's dbt build is never retried as a whole (taza.pipeline.dbt), so Cosmos need not
        # rewrite all its results to a Variable after each one (quadratic in the number of dbt nodes).
        "AIRFLOW__COSMOS__ENABLE_WATCHER_RELIABLE_RETRY": "False",
        # Cosmos's copies of dbt's partial-parse file, one set per state dir: shared by environments
        # with other warehouses (tests, benchmarks, the demo), each would make the next reparse the
        # whole project (about 6 s: dbt's profile hash includes the port).
        "AIRFLOW__COSMOS__CACHE_DIR": str(config.state_dir() / "cosmos"),
        "AIRFLOW_CONN_TAZA_WAREHOUSE": _with_database(warehouse, url_parts(warehouse)["database"], "postgres"),
        # OpenLineage (apache-airflow-providers-openlineage): START/COMPLETE/FAIL of every task, with the
        # datasets the tasks declare (taza.pipeline.lineage), to a local file; a deployment points
        # AIRFLOW__OPENLINEAGE__TRANSPORT at Marquez or another backend instead.
        "AIRFLOW__OPENLINEAGE__NAMESPACE": "taza",
        # Emit from a thread of the task's process, not a process forked per event: the KPI DAG
        # (128 tasks then) took 209-221 s with forks, 188-200 s in a thread, 181-188 s with no events.
        "AIRFLOW__OPENLINEAGE__EXECUTE_IN_THREAD": "True",
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps(
            {"type": "file", "log_file_path": str(lineage_events_file()), "append": True}),
        "GX_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "SCARF_ANALYTICS": "false",
    }
    for family in SOURCE_FAMILIES:
        try:
            url, key = family_settings(family, simulator_url, config.source_api_key())
        except RuntimeError:
            continue  # that family's DAG will fail with the same clear message if it runs
        defaults[f"AIRFLOW_CONN_TAZA_SOURCE_{family.upper()}"] = connection_json(url, key)
    for name, value in defaults.items():
        env.setdefault(name, value)
    return env
