"""`taza ui` as a user runs it: the Airflow UI comes up with its login and the Taza plugin pages, then stops."""
from __future__ import annotations

import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from airflow_api import bearer_headers
from scorecard_values import mart_value, national_kpis, traced_values

pytestmark = pytest.mark.integration

TAZA = str(Path(sys.executable).parent / "taza")


def test_ui_prints_its_url_and_a_generated_login_per_role(ui):
    from taza.ui.login import ui_logins

    assert f"Airflow UI: {ui['url']}" in ui["output"]
    logins = ui_logins()
    assert [(login.kind, login.role) for login in logins] == [("admin", "admin"), ("engineer", "op"),
                                                              ("auditor", "viewer")]
    for login in logins:
        assert f"login {login.user} / {login.password}  (Airflow role {login.role})" in ui["output"]
        assert len(login.password) >= 24, "a generated secret, not a default"
    assert len({login.password for login in logins}) == 3


def test_auditor_reads_runs_and_pages_but_cannot_trigger_and_engineer_can(ui):
    """The auditor (viewer) lists DAG runs and opens the Taza pages; the API refuses its trigger with 403.
    The engineer (op) triggers a run of the paused KPI DAG (a paused DAG's run waits) and deletes it again."""
    from taza.ui.login import ui_login

    auditor, engineer = ui_login("auditor"), ui_login("engineer")
    as_auditor = bearer_headers(ui["url"], auditor.user, auditor.password)
    runs_url = f"{ui['url']}/api/v2/dags/taza_build_kpis/dagRuns"
    deadline = time.monotonic() + 180  # the dag-processor of a fresh `taza ui` may still be parsing
    while requests.get(runs_url, headers=as_auditor, timeout=30).status_code == 404 and time.monotonic() < deadline:
        time.sleep(2)
    assert requests.get(runs_url, headers=as_auditor, timeout=30).status_code == 200
    assert requests.get(ui["url"] + "/taza/quality", headers=as_auditor, timeout=60).status_code == 200
    refused = requests.post(runs_url, headers=as_auditor, json={"logical_date": None}, timeout=30)
    assert refused.status_code == 403, refused.text
    assert requests.patch(f"{ui['url']}/api/v2/dags/taza_build_kpis", headers=as_auditor,
                          json={"is_paused": False}, timeout=30).status_code == 403

    as_engineer = bearer_headers(ui["url"], engineer.user, engineer.password)
    assert requests.get(f"{ui['url']}/api/v2/dags/taza_build_kpis", headers=as_engineer,
                        timeout=30).json()["is_paused"], "a new DAG is paused, so the triggered run only waits"
    triggered = requests.post(runs_url, headers=as_engineer, json={"logical_date": None}, timeout=30)
    assert triggered.status_code == 200, triggered.text
    deleted = requests.delete(f"{runs_url}/{triggered.json()['dag_run_id']}", headers=as_engineer, timeout=30)
    assert deleted.status_code == 204, deleted.text


def test_api_server_reports_healthy_components(ui):
    health = requests.get(f"{ui['url']}/api/v2/monitor/health", timeout=30)
    assert health.status_code == 200
    assert health.json()["metadatabase"]["status"] == "healthy"


def test_login_accepts_the_printed_password_only(ui, ui_login):
    user, password = ui_login
    for attempt, status in ((password, 201), (password + "x", 401)):
        token = requests.post(f"{ui['url']}/auth/token", json={"username": user, "password": attempt}, timeout=30)
        assert token.status_code == status


def test_airflow_loads_the_taza_plugin_with_its_menu_entries(ui, auth_headers):
    plugins = requests.get(f"{ui['url']}/api/v2/plugins", headers=auth_headers, timeout=30).json()["plugins"]
    taza = next(plugin for plugin in plugins if plugin["name"] == "taza_ui")
    assert [app["url_prefix"] for app in taza["fastapi_apps"]] == ["/taza"]
    assert {(view["name"], view["href"], view["destination"]) for view in taza["external_views"]} == {
        ("KPI dashboard", "taza/kpi", "nav"), ("Data quality", "taza/quality", "nav")}


@pytest.mark.parametrize(("path", "heading"), [("/taza/kpi", "KPI dashboard"), ("/taza/quality", "data quality")])
def test_plugin_pages_answer_through_the_api_server_after_login(ui, auth_headers, path, heading):
    assert requests.get(ui["url"] + path, timeout=60).status_code == 401
    page = requests.get(ui["url"] + path, headers=auth_headers, timeout=60)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert heading.lower() in page.text.lower()


def test_kpi_page_shows_the_scorecards_numbers(scorecard, ui, auth_headers, db):
    shown, kpis = traced_values(requests.get(ui["url"] + "/taza/kpi", headers=auth_headers, timeout=60).text)
    assert kpis == national_kpis(db), "every national KPI of the scorecard is on the page"
    assert len(shown) > 4 * len(kpis)
    for value in shown:
        assert Decimal(value["value"]) == mart_value(db, value)[0], value


def test_ui_stop_stops_every_component(airflow_env, ui):
    stopped = subprocess.run([TAZA, "ui", "stop"], env=airflow_env, capture_output=True, text=True, timeout=120)
    assert stopped.stdout.strip() == "stopped airflow api-server, triggerer, dag-processor, scheduler"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{ui['url']}/api/v2/monitor/health", timeout=5)
    status = subprocess.run([TAZA, "ui", "status"], env=airflow_env, capture_output=True, text=True)
    assert status.returncode == 3
