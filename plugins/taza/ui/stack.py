"""``taza ui``: the Airflow UI of the local stack, against the embedded warehouse and the simulator.

The api-server (UI, REST and execution API, and the Taza plugin pages), scheduler,
dag-processor and triggerer run as background services with state and log files in
the state dir, like the simulator. DAG runs triggered in the UI execute on the
LocalExecutor and land in the embedded warehouse.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from taza import config
from taza.airflow_env import airflow_environment
from taza.background import Service, stop_services
from taza.simulator_service import start_simulator
from taza.ui.login import auth_environment, ui_logins, write_passwords_file
from taza.warehouse.embedded import EmbeddedWarehouse
from taza.warehouse.provision import start_embedded

HEALTH_PATH = "/api/v2/monitor/health"
# Started in this order (the api-server last: its health answer means the UI is ready).
COMPONENTS = ("scheduler", "dag-processor", "triggerer", "api-server")
# The components share this machine's log folder, where the api-server reads every task's log,
# so none serves logs over HTTP: Airflow's log servers bind fixed ports (8793, 8794) on every
# interface, where a second local stack (another state dir, e.g. a parallel test session) collides.
SERVE_NO_LOGS = {"scheduler": ["--skip-serve-logs"], "triggerer": ["--skip-serve-logs"]}


def _service(component: str) -> Service:
    return Service(f"airflow-{component}")


def _passwords_file() -> Path:
    return config.state_dir() / "airflow" / "ui-passwords.json"


def _airflow() -> str:
    return os.path.join(os.path.dirname(sys.executable), "airflow")


def ui_environment(simulator_url: str, warehouse_url: str, port: int) -> dict[str, str]:
    """Airflow's environment for the UI stack: the project's, plus login, URLs and a shared JWT secret."""
    env = airflow_environment(simulator_url)
    env.update(auth_environment(_passwords_file()))
    env.update({
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        # Every component signs or checks task tokens with it, so they must share one.
        "AIRFLOW__API_AUTH__JWT_SECRET": config.local_secret("airflow_jwt_secret", "AIRFLOW__API_AUTH__JWT_SECRET"),
        "TAZA_WAREHOUSE_URL": warehouse_url,
    })
    return env


def start_ui(port: int) -> dict:
    """Start warehouse, simulator and the Airflow components, reusing running ones; the UI's URL and login."""
    warehouse = EmbeddedWarehouse()
    start_embedded(warehouse=warehouse)
    env = ui_environment(start_simulator()["url"], warehouse.url(), port)
    write_passwords_file(_passwords_file())
    log = config.state_dir() / "airflow-db-migrate.log"
    with open(log, "w") as out:
        if subprocess.run([_airflow(), "db", "migrate"], env=env, stdout=out, stderr=subprocess.STDOUT).returncode:
            raise RuntimeError(f"airflow db migrate failed; see {log}")
    url = f"http://127.0.0.1:{port}"
    for component in COMPONENTS:
        if component == "api-server":
            _service(component).start(["api-server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                                      url=url, health_path=HEALTH_PATH, program=[_airflow()], env=env,
                                      timeout_s=300, extra={"port": port})
        else:
            _service(component).start([component, *SERVE_NO_LOGS.get(component, [])], url=None,
                                      program=[_airflow()], env=env)
    return {"url": url, "logins": ui_logins()}


def stop_ui() -> list[str]:
    """Stop the Airflow components; the names of those that were running."""
    services = {component: _service(component) for component in reversed(COMPONENTS)}
    stopped = stop_services(list(services.values()))
    return [component for component, service in services.items() if service in stopped]


def ui_status() -> dict[str, dict | None]:
    return {component: _service(component).state() for component in COMPONENTS}
