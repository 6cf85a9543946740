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
SIMULATORS = {"simulator-regional", "simulator-industry", "simulator-nursery"}
LINEAGE = {"marquez-db", "marquez", "marquez-web"}  # the optional `lineage` profile
ONE_SHOT = {"airflow-init", "reports-login"}
LONG_RUNNING = set(SERVICES) - ONE_SHOT
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
    "TAZA_DBT_TARGET_DIR": "dbt's artifacts of a test session; the image keeps dbt_project/target",
    "TAZA_WAREHOUSE_PASSWORD": "embedded server's password, and dbt profile variables that "
                               "dbt_environment() derives from the warehouse URL",
    "TAZA_WAREHOUSE_HOST": "dbt profile variable derived from the warehouse URL",
    "TAZA_WAREHOUSE_USER": "dbt profile variable derived from the warehouse URL",
    "TAZA_WAREHOUSE_DB": "dbt profile variable derived from the warehouse URL",
    "AIRFLOW__API_AUTH__JWT_SECRET": "compose sets it from .env (AIRFLOW_JWT_SECRET)",
}


def _example_environment() -> dict[str, str]:
    """x-airflow-common's environment as a container gets it with .env.example's values."""
    return {name: _interpolate(str(value), _env_example()) for name, value in COMMON_ENV.items()}


def test_services_are_airflows_official_set_plus_warehouse_simulators_and_reports():
    assert set(SERVICES) == AIRFLOW_SERVICES | SIMULATORS | LINEAGE | {"postgres", "redis", "warehouse",
                                                                       "reports-login", "reports"}
    commands = {name: SERVICES[name]["command"] for name in AIRFLOW_SERVICES - {"airflow-init"}}
    assert commands == {"airflow-apiserver": ["airflow", "api-server"],
                        "airflow-scheduler": ["airflow", "scheduler"],
                        "airflow-dag-processor": ["airflow", "dag-processor"],
                        "airflow-worker": ["airflow", "celery", "worker"],
                        "airflow-triggerer": ["airflow", "triggerer"]}
    init = SERVICES["airflow-init"]["command"][-1].split(" && ")
    assert init[:2] == ["airflow db migrate", "python -m taza.ui.fab_users"], "metadata DB, then the UI logins"
    assert "bootstrap()" in init[2], "warehouse schemas before the first DAG run"


def test_airflow_and_simulators_run_the_project_image_built_from_the_lock_file():
    for name in AIRFLOW_SERVICES | SIMULATORS | {"reports-login"}:
        assert SERVICES[name]["build"] == "."
        assert SERVICES[name]["image"] == "${TAZA_IMAGE:-taza-airflow:latest}"
    for name in SIMULATORS:
        assert SERVICES[name]["command"][:3] == ["taza", "sources", "serve"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY requirements.lock" in dockerfile
    assert re.search(r"pip install .*-r requirements\.lock", dockerfile)
    assert "dbt parse" in dockerfile, "Cosmos renders the KPI DAG from the manifest"
    assert re.search(r"^USER (?!root|0\b)", dockerfile, re.M), "containers do not run as root"


def test_celery_executor_with_redis_broker_and_postgres_result_backend():
    from taza.compose_env import airflow_uris

    env = _example_environment()
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    commands = {name.removesuffix("_CMD"): value.split() for name, value in env.items() if name.endswith("_CMD")}
    assert commands == {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": ["python", "-m", "taza.compose_env", "--print", "metadata-db"],
        "AIRFLOW__CELERY__BROKER_URL": ["python", "-m", "taza.compose_env", "--print", "broker"],
        "AIRFLOW__CELERY__RESULT_BACKEND": ["python", "-m", "taza.compose_env", "--print", "result-backend"]}
    uris = airflow_uris(env)
    assert re.fullmatch(r"redis://:[^@]+@redis:6379/0", uris["broker"])
    assert uris["result-backend"].startswith("db+postgresql://airflow:")
    assert uris["result-backend"].endswith("@postgres:5432/airflow")
    assert uris["metadata-db"].startswith("postgresql+psycopg2://airflow:")
    assert uris["metadata-db"].endswith("@postgres:5432/airflow")
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
    assert SERVICES["redis"]["image"].startswith("redis:7.2")


def test_every_long_running_service_has_a_healthcheck():
    for name in LONG_RUNNING:
        check = SERVICES[name].get("healthcheck")
        assert check and check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert SERVICES[name]["restart"] == "always", name
    for name in ONE_SHOT:
        assert "healthcheck" not in SERVICES[name] and SERVICES[name]["restart"] == "no", name
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
    for name in SIMULATORS:
        assert worker[name] == {"condition": "service_healthy"}
    assert SERVICES["reports"]["depends_on"]["reports-login"] == {"condition": "service_completed_successfully"}


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
    assert secrets >= {"POSTGRES_PASSWORD", "WAREHOUSE_PASSWORD", "REDIS_PASSWORD", "TAZA_SOURCE_REGIONAL_API_KEY",
                       "TAZA_SOURCE_INDUSTRY_API_KEY", "TAZA_SOURCE_NURSERY_API_KEY", "AIRFLOW_FERNET_KEY",
                       "AIRFLOW_JWT_SECRET", "AIRFLOW_API_SECRET_KEY", "TAZA_UI_PASSWORD", "TAZA_UI_ENGINEER_PASSWORD",
                       "TAZA_UI_AUDITOR_PASSWORD", "TAZA_REPORTS_PASSWORD",
                       "TAZA_BI_READER_PASSWORD", "TAZA_REPORT_READER_PASSWORD"}
    for name in secrets:
        assert not re.search(r"\$\{" + name + r":-", text), f"{name} must not have a default"
        assert example[name].startswith("change-me"), f".env.example holds a placeholder for {name}"
    for service in SERVICES.values():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                assert _REFERENCE.fullmatch(str(value)), f"{key} is a literal secret"
            assert not URL_PASSWORD.search(str(value)), f"{key}: a secret pasted into a URI breaks on @ or #"
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_airflow_connections_resolve_to_the_compose_services_with_one_key_per_family():
    from taza.compose_env import container_environment
    from taza.sources.connections import SOURCE_FAMILIES

    example = _env_example()
    built = container_environment(_example_environment())
    for family in SOURCE_FAMILIES:
        connection = json.loads(built[f"AIRFLOW_CONN_TAZA_SOURCE_{family.upper()}"])
        assert (connection["conn_type"], connection["host"], connection["port"], connection["schema"]) == (
            "http", f"simulator-{family}", 8000, "http")
        assert connection["password"] == example[f"TAZA_SOURCE_{family.upper()}_API_KEY"]
        simulator_key = SERVICES[f"simulator-{family}"]["environment"]["TAZA_SOURCE_API_KEY"]
        assert _interpolate(simulator_key, example) == connection["password"], "each simulator takes its family's key"
    keys = {example[f"TAZA_SOURCE_{family.upper()}_API_KEY"] for family in SOURCE_FAMILIES}
    assert len(keys) == len(SOURCE_FAMILIES), "one key per family"
    warehouse = json.loads(built["AIRFLOW_CONN_TAZA_WAREHOUSE"])
    assert (warehouse["host"], warehouse["port"], warehouse["schema"]) == ("warehouse", 5432, "taza")
    assert built["TAZA_WAREHOUSE_URL"].endswith("@warehouse:5432/taza")


def test_a_real_source_without_a_scheme_is_reached_over_https():
    from taza.compose_env import container_environment

    env = {**_example_environment(), "TAZA_SOURCE_REGIONAL_URL": "api.example.kz/regional/v1"}
    connection = json.loads(container_environment(env)["AIRFLOW_CONN_TAZA_SOURCE_REGIONAL"])
    assert (connection["schema"], connection["host"], connection["port"], connection["extra"]["base_path"]) == (
        "https", "api.example.kz", None, "/regional/v1")


def test_airflow_containers_start_through_compose_env():
    assert COMPOSE["x-airflow-common"]["entrypoint"] == ["python", "-m", "taza.compose_env"]
    for name in AIRFLOW_SERVICES:
        assert "entrypoint" not in SERVICES[name] or SERVICES[name]["entrypoint"] == ["python", "-m",
                                                                                   "taza.compose_env"]


def test_the_reports_site_requires_a_login_written_at_start():
    conf = (ROOT / "deploy" / "reports-site.conf").read_text()
    server = re.sub(r"location[^{]*\{[^}]*\}", "", conf)  # server-level directives only
    assert 'auth_basic "' in server and "auth_basic_user_file /etc/nginx/auth/htpasswd;" in server
    assert re.findall(r"location\s+([^{]+?)\s*\{[^}]*auth_basic off;", conf) == ["= /healthz"], "only /healthz is open"
    login = SERVICES["reports-login"]
    written = login["command"][-1]
    [mount] = [m for m in login["volumes"] if m.startswith("reports-auth:")]
    assert written == mount.split(":")[1] + "/htpasswd"
    assert "reports-auth:/etc/nginx/auth:ro" in SERVICES["reports"]["volumes"]
    assert login["command"][:3] == ["python", "-m", "taza.reports_login"]
    assert set(login["environment"]) == {"TAZA_REPORTS_USER", "TAZA_REPORTS_PASSWORD"}
    assert SERVICES["reports"]["healthcheck"]["test"][-1] == "http://localhost/healthz"


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
    # SimpleAuthManager's settings are the local login's; compose logs in through FAB (taza.ui.fab_users).
    simple_login = {name for name in local if "SIMPLE_AUTH_MANAGER" in name}
    assert simple_login, "taza ui still logs in through SimpleAuthManager"
    # Cosmos's cache is kept apart per state dir locally; a container's own /tmp/cosmos already is.
    missing = (local - _compose_provides() - {"AIRFLOW_HOME", "AIRFLOW__API__BASE_URL", "AIRFLOW__COSMOS__CACHE_DIR"}
               - set(NOT_FOR_COMPOSE) - simple_login)
    assert not missing, f"set locally but not in x-airflow-common: {sorted(missing)}"
    assert "ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 AIRFLOW_HOME=/opt/airflow" in (
        ROOT / "Dockerfile").read_text()


def _compose_provides() -> set[str]:
    """Variables the Airflow containers get: set in compose, built by taza.compose_env, or *_CMD settings."""
    from taza.compose_env import container_environment

    return (set(COMMON_ENV) | {name.removesuffix("_CMD") for name in COMMON_ENV}
            | set(container_environment(_example_environment())))


def test_every_variable_the_code_reads_is_set_in_compose_or_explained():
    read = _code_reads_env()
    assert {"TAZA_WAREHOUSE_URL", "TAZA_STATE_DIR", "TAZA_SOURCE_API_KEY"} <= set(read), "the scan finds them"
    compose_env = _compose_provides() | {name for service in SERVICES.values()
                                         for name in (service.get("environment") or {})}
    unexplained = {name: files for name, files in read.items()
                   if name not in compose_env and name not in NOT_FOR_COMPOSE}
    assert not unexplained, f"read by the code, missing from docker-compose.yaml: {unexplained}"
    stale = set(NOT_FOR_COMPOSE) - set(read)
    assert not stale, f"explained but no longer read by the code: {stale}"


def test_compose_logs_in_through_fab_with_the_logins_taza_ui_has():
    """FabAuthManager with its tables migrated by `airflow db migrate`; the logins of taza.ui.login, users and
    passwords from .env (airflow-init writes them, tests/deploy/test_fab_auth.py runs it for real)."""
    from taza.ui.fab_users import AUTH_MANAGER, DB_MANAGER
    from taza.ui.login import LOGINS

    env = _example_environment()
    assert env["AIRFLOW__CORE__AUTH_MANAGER"] == AUTH_MANAGER
    assert env["AIRFLOW__DATABASE__EXTERNAL_DB_MANAGERS"] == DB_MANAGER
    assert not [name for name in COMMON_ENV if "SIMPLE_AUTH_MANAGER" in name], "no setting of the local login"
    for _, suffix, default_user in LOGINS.values():
        assert COMMON_ENV[f"TAZA_UI{suffix}_USER"] == f"${{TAZA_UI{suffix}_USER:-{default_user}}}"
        assert COMMON_ENV[f"TAZA_UI{suffix}_PASSWORD"] == f"${{TAZA_UI{suffix}_PASSWORD:?set in .env}}"


def test_lineage_goes_to_a_file_by_default_and_to_marquez_only_in_the_lineage_profile():
    """Every Airflow container emits OpenLineage through the transport .env gives it; Marquez and its
    database and UI start only with `--profile lineage`, and no Airflow service waits for them."""
    assert {name for name, service in SERVICES.items() if service.get("profiles")} == LINEAGE
    assert all(SERVICES[name]["profiles"] == ["lineage"] for name in LINEAGE)
    assert not any(set(SERVICES[name].get("depends_on", {})) & LINEAGE for name in AIRFLOW_SERVICES)
    env = _example_environment()
    transport = json.loads(env["AIRFLOW__OPENLINEAGE__TRANSPORT"].strip("'"))
    assert transport == {"type": "file", "log_file_path": "/opt/airflow/logs/openlineage-events.jsonl",
                         "append": True}, "on the logs volume every Airflow container mounts"
    assert env["AIRFLOW__OPENLINEAGE__NAMESPACE"] == "taza"
    marquez = SERVICES["marquez"]
    assert marquez["environment"]["MARQUEZ_PORT"] == 5000 and 5000 in marquez["expose"]
    assert marquez["environment"]["POSTGRES_HOST"] == "marquez-db"
    assert SERVICES["marquez-web"]["environment"]["MARQUEZ_HOST"] == "marquez"
    assert """OPENLINEAGE_TRANSPORT='{"type": "http", "url": "http://marquez:5000"}'""" in (
        ROOT / ".env.example").read_text(), ".env.example says how to point the events at Marquez"
