"""The compose stack's login for real: FabAuthManager, its users written by airflow-init, over HTTP.

No Docker here, so the compose file's auth settings and airflow-init's steps run as
subprocesses: ``airflow db migrate`` and ``python -m taza.ui.fab_users`` exactly as compose
writes them (read from docker-compose.yaml, so the test follows the file), then
``airflow api-server`` on a free port. The metadata DB is a database of its own on the
session's PostgreSQL: a fresh one, as airflow-init finds on a first start, and the test's users
and DAG run stay out of the database the other tests share.
"""
from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
import requests
import yaml

from taza import config

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent
COMPOSE = yaml.safe_load((config.PROJECT_ROOT / "docker-compose.yaml").read_text())
COMMON_ENV = COMPOSE["x-airflow-common"]["environment"]
INIT_STEPS = COMPOSE["services"]["airflow-init"]["command"][-1].split(" && ")
AUTH_STEPS = [step for step in INIT_STEPS if "bootstrap()" not in step]  # the warehouse's is the session's
DAG_ID = "taza_ingest_regional"
DATABASE = "airflow_fab_auth"
# Users named apart from the defaults, passwords with characters a shell or a URI would trip on.
DOTENV = {"TAZA_UI_USER": "taza.admin", "TAZA_UI_ENGINEER_USER": "taza.engineer",
          "TAZA_UI_AUDITOR_USER": "taza.auditor",
          **{f"TAZA_UI{suffix}_PASSWORD": f"p@ss#{suffix or '_ADMIN'} $'{secrets.token_urlsafe(8)}"
             for suffix in ("", "_ENGINEER", "_AUDITOR")}}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _compose_value(name: str) -> str:
    """x-airflow-common's value of ``name`` with DOTENV as .env (``${VAR}``, ``${VAR:-default}``, ``${VAR:?}``)."""
    def substitute(match: re.Match) -> str:
        variable, kind, default = match.groups()
        assert variable in DOTENV or kind == "-", f"compose stops: {variable} not in .env"
        return DOTENV.get(variable, default)
    return re.sub(r"\$\{(\w+)(?::([-?])([^}]*))?\}", substitute, str(COMMON_ENV[name]))


def _run_init(env: dict) -> list[str]:
    """airflow-init's metadata and login steps, each as compose's bash runs it; what it did to each login."""
    reported = []
    for step in AUTH_STEPS:
        done = subprocess.run(["bash", "-c", step], env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{step}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        reported += [line for line in done.stdout.splitlines() if line.startswith("Airflow login ")]
    return reported


def _token(url: str, user: str, password: str) -> requests.Response:
    return requests.post(f"{url}/auth/token", json={"username": user, "password": password}, timeout=30)


def _bearer(url: str, user: str, password: str) -> dict:
    token = _token(url, user, password)
    assert token.status_code == 201, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture(scope="module")
def fab_env(airflow_env, warehouse_url) -> dict:
    """The session's Airflow environment with compose's auth settings, a fresh metadata DB, .env's logins."""
    admin = psycopg2.connect(warehouse_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {DATABASE}")
    env = {name: value for name, value in airflow_env.items() if "SIMPLE_AUTH_MANAGER" not in name}
    env.update({
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",  # `airflow` and `python` as in the image
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": airflow_env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].rsplit("/", 1)[0]
        + f"/{DATABASE}",
        "AIRFLOW__CORE__AUTH_MANAGER": _compose_value("AIRFLOW__CORE__AUTH_MANAGER"),
        "AIRFLOW__DATABASE__EXTERNAL_DB_MANAGERS": _compose_value("AIRFLOW__DATABASE__EXTERNAL_DB_MANAGERS"),
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
        **{name: _compose_value(name) for name in COMMON_ENV if name.startswith("TAZA_UI_")},
    })
    try:
        yield env
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.close()


@pytest.fixture(scope="module")
def fab_api(fab_env, tmp_path_factory):
    """airflow-init's steps, the DAGs serialized (a dag-processor's job), then compose's api-server command."""
    first_init = _run_init(fab_env)
    reserialized = subprocess.run([str(BIN / "airflow"), "dags", "reserialize"], env=fab_env,
                                  capture_output=True, text=True, timeout=600)
    assert reserialized.returncode == 0, reserialized.stdout[-3000:] + reserialized.stderr[-3000:]
    port = _free_port()
    log_path = tmp_path_factory.mktemp("fab") / "api-server.log"
    argv = COMPOSE["services"]["airflow-apiserver"]["command"] + ["--host", "127.0.0.1", "--port", str(port),
                                                                  "--workers", "1"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(argv, env=fab_env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if requests.get(f"{url}/api/v2/monitor/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            assert process.poll() is None, f"api-server exited:\n{log_path.read_text(errors='replace')[-3000:]}"
            assert time.monotonic() < deadline, f"api-server not up:\n{log_path.read_text(errors='replace')[-3000:]}"
            time.sleep(0.5)
        yield {"url": url, "first_init": first_init}
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def _login(fab_env: dict, kind: str) -> tuple[str, str]:
    suffix = {"admin": "", "engineer": "_ENGINEER", "auditor": "_AUDITOR"}[kind]
    return fab_env[f"TAZA_UI{suffix}_USER"], fab_env[f"TAZA_UI{suffix}_PASSWORD"]


def test_airflow_init_creates_each_login_with_its_fab_role(fab_env, fab_api):
    url = fab_api["url"]
    assert fab_api["first_init"] == [
        f"Airflow login {_login(fab_env, kind)[0]}: created" for kind in ("admin", "engineer", "auditor")]
    as_admin = _bearer(url, *_login(fab_env, "admin"))
    for kind, role in (("admin", "Admin"), ("engineer", "Op"), ("auditor", "Viewer")):
        user = requests.get(f"{url}/auth/fab/v1/users/{_login(fab_env, kind)[0]}", headers=as_admin, timeout=30)
        assert user.status_code == 200, user.text
        assert [r["name"] for r in user.json()["roles"]] == [role], kind


def test_auditor_reads_but_cannot_trigger_and_engineer_can(fab_env, fab_api):
    url = fab_api["url"]
    runs_url = f"{url}/api/v2/dags/{DAG_ID}/dagRuns"
    as_auditor = _bearer(url, *_login(fab_env, "auditor"))
    dags = requests.get(f"{url}/api/v2/dags", headers=as_auditor, timeout=30)
    assert dags.status_code == 200 and DAG_ID in {dag["dag_id"] for dag in dags.json()["dags"]}, dags.text
    for page in ("/taza/kpi", "/taza/quality"):
        assert requests.get(url + page, timeout=60).status_code == 401, f"{page} needs a login"
        assert requests.get(url + page, headers=as_auditor, timeout=60).status_code == 200, page
    refused = requests.post(runs_url, headers=as_auditor, json={"logical_date": None}, timeout=30)
    assert refused.status_code == 403, refused.text

    as_engineer = _bearer(url, *_login(fab_env, "engineer"))
    triggered = requests.post(runs_url, headers=as_engineer, json={"logical_date": None}, timeout=30)
    assert triggered.status_code == 200, triggered.text
    assert triggered.json()["triggering_user_name"] == _login(fab_env, "engineer")[0]
    deleted = requests.delete(f"{runs_url}/{triggered.json()['dag_run_id']}", headers=as_engineer, timeout=30)
    assert deleted.status_code == 204, deleted.text


def test_a_user_without_a_reading_role_is_refused_the_pages(fab_env, fab_api):
    """The pages check the permission they need, not just a login: a FAB user whose only role is
    Public (no permission) gets a token, and 403 from both pages."""
    url = fab_api["url"]
    as_admin = _bearer(url, *_login(fab_env, "admin"))
    password = secrets.token_urlsafe(12)
    created = requests.post(f"{url}/auth/fab/v1/users", headers=as_admin, timeout=30, json={
        "username": "taza.public", "password": password, "first_name": "No", "last_name": "Role",
        "email": "taza.public@taza.invalid", "roles": [{"name": "Public"}]})
    assert created.status_code == 200, created.text
    as_public = _bearer(url, "taza.public", password)
    for page in ("/taza/kpi", "/taza/quality"):
        assert requests.get(url + page, headers=as_public, timeout=60).status_code == 403, page


def test_a_wrong_password_or_unknown_user_gets_no_token(fab_env, fab_api):
    user, password = _login(fab_env, "auditor")
    assert _token(fab_api["url"], user, password + "x").status_code == 401
    assert _token(fab_api["url"], "nobody", password).status_code == 401
    assert requests.get(f"{fab_api['url']}/api/v2/dags", timeout=30).status_code == 401


def test_the_login_page_is_fabs_and_logs_a_person_in(fab_env, fab_api):
    """What a person does in the browser: FAB's form (with its CSRF token), then the API with the cookie."""
    url = fab_api["url"]
    browser = requests.Session()
    form = browser.get(f"{url}/auth/login/", timeout=30)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
    assert form.status_code == 200 and csrf, form.text[:500]
    user, password = _login(fab_env, "auditor")
    browser.post(f"{url}/auth/login/", data={"username": user, "password": password, "csrf_token": csrf[1]},
                 timeout=30)
    assert "_token" in browser.cookies, "the UI's JWT cookie"
    assert browser.get(f"{url}/api/v2/dags", timeout=30).status_code == 200
    assert browser.get(f"{url}/taza/quality", timeout=60).status_code == 200


def test_rerunning_airflow_init_is_idempotent_and_applies_a_changed_password(fab_env, fab_api):
    url = fab_api["url"]
    users = [_login(fab_env, kind)[0] for kind in ("admin", "engineer", "auditor")]
    assert _run_init(fab_env) == [f"Airflow login {user}: unchanged" for user in users]
    auditor, old_password = _login(fab_env, "auditor")
    changed = {**fab_env, "TAZA_UI_AUDITOR_PASSWORD": old_password + "-rotated"}
    assert _run_init(changed) == [f"Airflow login {users[0]}: unchanged",
                                                   f"Airflow login {users[1]}: unchanged",
                                                   f"Airflow login {auditor}: updated"]
    assert _token(url, auditor, old_password).status_code == 401
    assert _token(url, auditor, old_password + "-rotated").status_code == 201
    assert _run_init(fab_env)[-1] == f"Airflow login {auditor}: updated", "rotated back"
    assert _token(url, auditor, old_password).status_code == 201


def test_fab_users_refuses_to_run_without_the_passwords(fab_env):
    env = {name: value for name, value in fab_env.items() if name != "TAZA_UI_ENGINEER_PASSWORD"}
    done = subprocess.run([str(BIN / "python"), "-m", "taza.ui.fab_users"], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode != 0 and "TAZA_UI_ENGINEER_PASSWORD not set" in done.stderr
