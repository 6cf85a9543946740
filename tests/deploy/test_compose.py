"""The production compose file, checked by structure (no Docker engine here).

Shaped after Airflow's official docker-compose.yaml for 3.x; every setting the code
reads must reach the containers, and secrets come only from ``.env``.
"""
from __future__ import annotations

import json
import os
import re

import pytest
import yaml

from taza import config

pytestmark = pytest.mark.unit

ROOT = config.PROJECT_ROOT
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
SERVICES = COMPOSE["services"]
COMMON_ENV = COMPOSE["x-airflow-common"]["environment"]
AIRFLOW_SERVICES = {"airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-worker", "airflow-triggerer"}
LONG_RUNNING = set(SERVICES) - {"airflow-init"}
# ${VAR}, ${VAR:-default}, ${VAR:?error}; $${VAR} is left to the container's shell.
_REFERENCE = re.compile(r"(?<!\$)\$\{(\w+)(?::?([-?])([^}]*))?\}")
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|SECRET_KEY|FERNET_KEY|API_KEY)$")
URL_PASSWORD = re.compile(r"://[^:/@]*:([^@]*)@")


def _env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def _interpolate(value: str, env: dict[str, str]) -> str:
    """What docker compose makes of ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?error}`` with ``env``."""
    def substitute(match: re.Match) -> str:
        name, kind, default = match.groups()
        if name in env:
            return env[name]
        assert kind == "-", f"${{{name}}} has no value in .env.example and no default"
        return default
    return _REFERENCE.sub(substitute, value)


def _code_reads_env() -> dict[str, list[str]]:
    """Environment variables named literally in the code: {name: [files]}."""
    patterns = [re.compile(r"""os\.environ(?:\.get)?[\[(]\s*["'](\w+)["']"""),
                re.compile(r"""getenv\(\s*["'](\w+)["']"""),
                re.compile(r"""local_secret\(\s*["']\w+["']\s*,\s*["'](\w+)["']"""),
                re.compile(r"""env_var\(\s*["'](\w+)["']""")]
    files = [*(ROOT / "plugins").rglob("*.py"), *(ROOT / "dags").rglob("*.py"),
             ROOT / "dbt_project" / "profiles.yml"]
    found: dict[str, list[str]] = {}
    for path in files:
        text = path.read_text()
        for pattern in patterns:
            for name in pattern.findall(text):
                found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


# Variables the code reads that the compose stack must not (or need not) set, and why.
NOT_FOR_COMPOSE = {
    "TAZA_WAREHOUSE_PORT": "embedded server's port; in compose the warehouse is its own service",
    "TAZA_SIMULATOR_PORT": "default port of `taza sources`; the simulator service passes --port",
    "TAZA_AIRFLOW_DB_URL": "metadata DB of the local stack; compose sets AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
    "TAZA_UI_PORT": "port of `taza ui`; compose publishes the api-server's port",
    "TAZA_WAREHOUSE_PASSWORD": "embedded server's password, and dbt profile variables that "
                               "dbt_environment() derives from the warehouse URL",
    "TAZA_WAREHOUSE_HOST": "dbt profile variable derived from the warehouse URL",
    "TAZA_WAREHOUSE_USER": "dbt profile variable derived from the warehouse URL",
    "TAZA_WAREHOUSE_DB": "dbt profile variable derived from the warehouse URL",
    "TAZA_WAREHOUSE_SSLMODE": "optional dbt profile setting (default prefer)",
    "AIRFLOW__API_AUTH__JWT_SECRET": "compose sets it from .env (AIRFLOW_JWT_SECRET)",
}


def test_services_are_airflows_official_set_plus_warehouse_simulator_and_reports():
    assert set(SERVICES) == AIRFLOW_SERVICES | {"postgres", "redis", "warehouse", "simulator", "reports"}
    commands = {name: SERVICES[name]["command"] for name in AIRFLOW_SERVICES - {"airflow-init"}}
    assert commands == {"airflow-apiserver": ["bash", "-c", "python -m taza.ui.login && exec airflow api-server"],
                        "airflow-scheduler": ["airflow", "scheduler"],
                        "airflow-dag-processor": ["airflow", "dag-processor"],
                        "airflow-worker": ["airflow", "celery", "worker"],
                        "airflow-triggerer": ["airflow", "triggerer"]}
    assert "airflow db migrate" in SERVICES["airflow-init"]["command"][-1]
    assert "bootstrap()" in SERVICES["airflow-init"]["command"][-1], "warehouse schemas before the first DAG run"


def test_airflow_and_simulator_run_the_project_image_built_from_the_lock_file():
    for name in AIRFLOW_SERVICES | {"simulator"}:
        assert SERVICES[name]["build"] == "."
        assert SERVICES[name]["image"] == "${TAZA_IMAGE:-taza-airflow:latest}"
    assert SERVICES["simulator"]["command"][:3] == ["taza", "sources", "serve"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY requirements.lock" in dockerfile
    assert re.search(r"pip install .*-r requirements\.lock", dockerfile)
    assert "dbt parse" in dockerfile, "Cosmos renders the KPI DAG from the manifest"
    assert re.search(r"^USER (?!root|0\b)", dockerfile, re.M), "containers do not run as root"


def test_celery_executor_with_redis_broker_and_postgres_result_backend():
    env = {name: _interpolate(str(value), _env_example()) for name, value in COMMON_ENV.items()}
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert re.fullmatch(r"redis://:[^@]+@redis:6379/0", env["AIRFLOW__CELERY__BROKER_URL"])
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://airflow:")
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].endswith("@postgres/airflow")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("@postgres/airflow")
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
    assert SERVICES["redis"]["image"].startswith("redis:7.2")


def test_every_long_running_service_has_a_healthcheck():
    for name in LONG_RUNNING:
        check = SERVICES[name].get("healthcheck")
        assert check and check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert SERVICES[name]["restart"] == "always", name
    assert "healthcheck" not in SERVICES["airflow-init"] and SERVICES["airflow-init"]["restart"] == "no"
    assert SERVICES["airflow-apiserver"]["healthcheck"]["test"][-1].endswith(
        "urlopen('http://localhost:8080/api/v2/monitor/health')")
    assert "celery_executor.app inspect ping" in SERVICES["airflow-worker"]["healthcheck"]["test"][1]


def test_start_order_follows_health_and_init():
    for name in AIRFLOW_SERVICES:
        depends = SERVICES[name]["depends_on"]
        for backing in ("postgres", "redis", "warehouse"):
            assert depends[backing] == {"condition": "service_healthy"}, (name, backing)
        if name != "airflow-init":
            assert depends["airflow-init"] == {"condition": "service_completed_successfully"}, name
    worker = SERVICES["airflow-worker"]["depends_on"]
    assert worker["airflow-apiserver"] == {"condition": "service_healthy"}, "tasks call the execution API"
    assert worker["simulator"] == {"condition": "service_healthy"}


def test_data_lives_on_declared_named_volumes():
    declared = set(COMPOSE["volumes"])
    used = set()
    for service in SERVICES.values():
        for mount in service.get("volumes", []):
            source = mount.split(":", 1)[0]
            if not source.startswith((".", "/")):
                used.add(source)
    assert used == declared
    assert "airflow-metadata:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
    assert "warehouse-data:/var/lib/postgresql/data" in SERVICES["warehouse"]["volumes"]
    reports_dir = COMMON_ENV["TAZA_REPORTS_DIR"]
    assert f"reports:{reports_dir}" in COMPOSE["x-airflow-common"]["volumes"], "tasks write the reports"
    assert "reports:/usr/share/nginx/html:ro" in SERVICES["reports"]["volumes"], "the site serves them"


def test_secrets_are_only_references_to_env_and_env_example_lists_them():
    text = "\n".join(line for line in (ROOT / "docker-compose.yaml").read_text().splitlines()
                     if not line.lstrip().startswith("#"))
    referenced = {name: kind for name, kind, _ in _REFERENCE.findall(text)}
    example = _env_example()
    assert set(referenced) == set(example), "every ${VAR} in .env.example, and nothing stale there"
    secrets = {name for name in referenced if SECRET_NAME.search(name)}
    assert secrets >= {"POSTGRES_PASSWORD", "WAREHOUSE_PASSWORD", "REDIS_PASSWORD", "TAZA_SOURCE_API_KEY",
                       "AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET", "AIRFLOW_API_SECRET_KEY", "TAZA_UI_PASSWORD"}
    for name in secrets:
        assert not re.search(r"\$\{" + name + r":-", text), f"{name} must not have a default"
        assert example[name].startswith("change-me"), f".env.example holds a placeholder for {name}"
    for service in SERVICES.values():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                assert _REFERENCE.fullmatch(str(value)), f"{key} is a literal secret"
            for password in URL_PASSWORD.findall(str(value)):
                assert _REFERENCE.fullmatch(password), f"literal password in the URL of {key}"
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_airflow_connections_resolve_to_the_compose_services():
    from taza.sources.connections import SOURCE_FAMILIES, conn_id

    env = {name: _interpolate(str(value), _env_example()) for name, value in COMMON_ENV.items()}
    for family in SOURCE_FAMILIES:
        connection = json.loads(env[conn_id(family).upper().replace("TAZA", "AIRFLOW_CONN_TAZA", 1)])
        assert (connection["conn_type"], connection["host"], connection["port"]) == ("http", "simulator", 8000)
        assert connection["password"] == _env_example()["TAZA_SOURCE_API_KEY"]
    assert env["AIRFLOW_CONN_TAZA_WAREHOUSE"].endswith("@warehouse:5432/taza")
    assert env["TAZA_WAREHOUSE_URL"].endswith("@warehouse:5432/taza")


def test_settings_of_the_local_stack_are_all_set_in_compose(monkeypatch, tmp_path):
    """What airflow_environment() and `taza ui` give Airflow locally, compose gives the containers."""
    from taza.airflow_env import airflow_environment
    from taza.ui.stack import ui_environment

    for name in list(COMMON_ENV) + ["TAZA_WAREHOUSE_URL", "AIRFLOW_HOME"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TAZA_STATE_DIR", str(tmp_path))
    url = "postgresql://taza:pw@127.0.0.1:5432/taza"
    monkeypatch.setenv("TAZA_WAREHOUSE_URL", url)
    local = set(ui_environment("http://127.0.0.1:9", url, 8080)) - set(os.environ)
    assert set(airflow_environment("http://127.0.0.1:9")) - set(os.environ) <= local
    missing = local - set(COMMON_ENV) - {"AIRFLOW_HOME", "AIRFLOW__API__BASE_URL"} - set(NOT_FOR_COMPOSE)
    assert not missing, f"set locally but not in x-airflow-common: {sorted(missing)}"
    assert "ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 AIRFLOW_HOME=/opt/airflow" in (
        ROOT / "Dockerfile").read_text()


def test_every_variable_the_code_reads_is_set_in_compose_or_explained():
    read = _code_reads_env()
    assert {"TAZA_WAREHOUSE_URL", "TAZA_STATE_DIR", "TAZA_SOURCE_API_KEY"} <= set(read), "the scan finds them"
    compose_env = set(COMMON_ENV) | {name for service in SERVICES.values()
                                     for name in (service.get("environment") or {})}
    unexplained = {name: files for name, files in read.items()
                   if name not in compose_env and name not in NOT_FOR_COMPOSE}
    assert not unexplained, f"read by the code, missing from docker-compose.yaml: {unexplained}"
    stale = set(NOT_FOR_COMPOSE) - set(read)
    assert not stale, f"explained but no longer read by the code: {stale}"
