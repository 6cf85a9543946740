"""`taza ui` as a user runs it: the Airflow UI comes up with its login and the Taza plugin pages, then stops."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.integration

TAZA = str(Path(sys.executable).parent / "taza")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def ui(airflow_env):
    """The UI started by `taza ui --port <free port>`; stopped (with its simulator) afterwards."""
    port = _free_port()
    started = subprocess.run([TAZA, "ui", "--port", str(port)], env=airflow_env, capture_output=True,
                             text=True, timeout=600)
    try:
        assert started.returncode == 0, started.stdout[-3000:] + started.stderr[-3000:]
        yield {"url": f"http://127.0.0.1:{port}", "output": started.stdout}
    finally:
        subprocess.run([TAZA, "ui", "stop"], env=airflow_env, timeout=120)
        subprocess.run([TAZA, "sources", "stop"], env=airflow_env, timeout=60)


def _password() -> str:
    """The password `taza ui` generated (the test environment sets no TAZA_UI_PASSWORD)."""
    from taza import config

    return config.local_secret("ui_password", "TAZA_UI_PASSWORD")


def _token(url: str, user: str, password: str) -> requests.Response:
    return requests.post(f"{url}/auth/token", json={"username": user, "password": password}, timeout=30)


def _logged_in(ui) -> dict:
    """Headers of a logged-in admin."""
    token = _token(ui["url"], "admin", _password()).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_ui_prints_its_url_and_a_generated_login(ui):
    password = _password()
    assert f"Airflow UI: {ui['url']}  (login admin / {password})" in ui["output"]
    assert len(password) >= 24, "a generated secret, not a default"


def test_api_server_reports_healthy_components(ui):
    health = requests.get(f"{ui['url']}/api/v2/monitor/health", timeout=30)
    assert health.status_code == 200
    assert health.json()["metadatabase"]["status"] == "healthy"


def test_login_accepts_the_printed_password_only(ui):
    password = _password()
    assert _token(ui["url"], "admin", password).status_code == 201
    assert _token(ui["url"], "admin", password + "x").status_code == 401


def test_airflow_loads_the_taza_plugin_with_its_menu_entries(ui):
    plugins = requests.get(f"{ui['url']}/api/v2/plugins", headers=_logged_in(ui), timeout=30).json()["plugins"]
    taza = next(plugin for plugin in plugins if plugin["name"] == "taza_ui")
    assert [app["url_prefix"] for app in taza["fastapi_apps"]] == ["/taza"]
    assert {(view["name"], view["href"], view["destination"]) for view in taza["external_views"]} == {
        ("KPI dashboard", "taza/kpi", "nav"), ("Data quality", "taza/quality", "nav")}


@pytest.mark.parametrize(("path", "heading"), [("/taza/kpi", "KPI dashboard"), ("/taza/quality", "data quality")])
def test_plugin_pages_answer_through_the_api_server_after_login(ui, path, heading):
    assert requests.get(ui["url"] + path, timeout=60).status_code == 401
    page = requests.get(ui["url"] + path, headers=_logged_in(ui), timeout=60)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert heading.lower() in page.text.lower()


@pytest.fixture(scope="module")
def kpi_mart(airflow_env):
    """A year of planting reports through the ingest DAG, then dbt builds the KPI mart."""
    conf = json.dumps({"period_from": "2021-01", "period_to": "2021-12"})
    for argv in (["airflow", "dags", "test", "taza_ingest_regional", "-c", conf],
                 ["dbt", "build", "--select", "+kpi_trees_planted", "--quiet"]):
        result = subprocess.run([TAZA, *argv], env=airflow_env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_kpi_page_shows_the_marts_numbers(ui, kpi_mart, db):
    page = requests.get(ui["url"] + "/taza/kpi", headers=_logged_in(ui), timeout=60).text
    db.execute("""SELECT year, trees_planted_year, trees_planted_cumulative, share_of_target, target_value
                  FROM marts.kpi_trees_planted WHERE scope = 'national' AND programme = 'state_forest_fund'""")
    rows = db.fetchall()
    assert rows, "the mart has the national state-forest-fund trajectory"
    for year, in_year, cumulative, share, target in rows:
        assert (f"<tr><td>{year}</td>" in page and f"<td>{in_year:,}</td><td>{cumulative:,}</td>"
                f"<td>{share:.1%}</td>" in page), year
    assert f"target of {rows[0][4]:,} trees" in page


def test_ui_stop_stops_every_component(airflow_env, ui):
    stopped = subprocess.run([TAZA, "ui", "stop"], env=airflow_env, capture_output=True, text=True, timeout=120)
    assert stopped.stdout.strip() == "stopped airflow api-server, triggerer, dag-processor, scheduler"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{ui['url']}/api/v2/monitor/health", timeout=5)
    status = subprocess.run([TAZA, "ui", "status"], env=airflow_env, capture_output=True, text=True)
    assert status.returncode == 3
