"""The /taza app answers nothing without a login, over a real HTTP socket (uvicorn).

The api-server mounts the plugin's app under /taza; here a parent FastAPI app does the
same, served by uvicorn on a free port, and every request goes through the network.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import pytest
import requests

from taza import config

pytestmark = pytest.mark.unit


# The api-server's way of serving the plugin app: mounted under its prefix in a parent app.
SERVE = """
import sys, uvicorn
from fastapi import FastAPI
from taza.ui.app import URL_PREFIX, app
parent = FastAPI()
parent.mount(URL_PREFIX, app)
uvicorn.run(parent, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@pytest.fixture(scope="module")
def taza_site(tmp_path_factory):
    """Base URL of uvicorn, in its own process (Airflow is imported there, with its own home)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path),
           "AIRFLOW_HOME": str(tmp_path_factory.mktemp("airflow-home"))}
    server = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], env=env)
    base = f"http://127.0.0.1:{port}/taza"
    try:
        while True:  # readiness: until the socket answers (or the server died)
            assert server.poll() is None, "uvicorn exited before listening"
            try:
                requests.get(base + "/kpi", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("path", ["/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"])
def test_fastapi_documentation_routes_are_switched_off(taza_site, path):
    response = requests.get(taza_site + path, timeout=30)
    assert response.status_code == 404, f"{path} answered {response.status_code} without a login"


def test_every_page_refuses_an_anonymous_request(taza_site):
    source = (config.PLUGINS_DIR / "taza" / "ui" / "app.py").read_text()
    paths = re.findall(r"@app\.(?:get|post|put|delete|patch|api_route)\(\"([^\"]+)\"", source)
    assert paths == ["/kpi", "/quality"], "a new route must be checked here too"
    for path in paths:
        response = requests.get(taza_site + path, timeout=30)
        assert response.status_code == 401, (path, response.status_code)
        assert "<html" not in response.text.lower()
