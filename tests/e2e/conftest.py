"""Fixtures of the end-to-end tests: `taza ui` as a user starts it, its login, and a built scorecard."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from airflow_api import bearer_headers
from dag_runs import run_dag

TAZA = str(Path(sys.executable).parent / "taza")
# A modest span: three complete years give every KPI with data a trend and a projection.
SCORECARD_SPAN = {"period_from": "2021-01", "period_to": "2023-12"}


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


@pytest.fixture(scope="session")
def ui_login() -> tuple[str, str]:
    """The admin login `taza ui` set up (the test environment sets no TAZA_UI_PASSWORD, so it is generated)."""
    from taza.ui.login import ui_login as login_of

    admin = login_of("admin")
    return admin.user, admin.password


@pytest.fixture()
def auth_headers(ui, ui_login) -> dict:
    """Headers of a logged-in admin."""
    return bearer_headers(ui["url"], *ui_login)


@pytest.fixture(scope="session")
def scorecard(airflow_env, staging_views, tmp_path_factory) -> Path:
    """Regional and nursery data for SCORECARD_SPAN through the ingest DAGs, then the KPI DAG (dbt
    builds marts.kpi_concept_scorecard, its last task writes the static reports); the reports dir.
    (staging_views: every raw table exists, so the models of the industry feeds build, empty.)"""
    reports = tmp_path_factory.mktemp("reports")
    previous = os.environ.get("TAZA_REPORTS_DIR")
    os.environ["TAZA_REPORTS_DIR"] = str(reports)
    try:
        for dag_id in ("taza_ingest_regional", "taza_ingest_nursery"):
            run_dag(dag_id, SCORECARD_SPAN)
        run_dag("taza_build_kpis")
    finally:
        if previous is None:
            os.environ.pop("TAZA_REPORTS_DIR", None)
        else:
            os.environ["TAZA_REPORTS_DIR"] = previous
    return reports
