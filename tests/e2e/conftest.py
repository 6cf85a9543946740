"""Fixtures of the end-to-end tests: `taza ui` as a user starts it, its login, and a built scorecard."""
from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from airflow_api import bearer_headers

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
def scorecard(built_history) -> Path:
    """The warehouse as the session's build of the whole history left it (the ingest DAGs, then the
    KPI DAG, whose last task writes the static reports); the reports dir."""
    built_history.restore()
    return built_history.reports
