"""The /taza app answers nothing without a login, over a real HTTP socket (uvicorn).

The api-server mounts the plugin's app under /taza; here a parent FastAPI app does the
same, served by uvicorn on a free port, and every request goes through the network.
"""
from __future__ import annotations

import os
import socket
import threading
import time

import pytest
import requests

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def taza_site():
    """Base URL of a uvicorn server with the plugin's app mounted as the api-server mounts it."""
    from taza import config

    os.environ.setdefault("AIRFLOW_HOME", str(config.state_dir() / "airflow"))  # before airflow is imported
    import uvicorn
    from fastapi import FastAPI

    from taza.ui.app import URL_PREFIX, app

    parent = FastAPI()
    parent.mount(URL_PREFIX, app)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(parent, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:  # readiness, not a timing assumption: wait until uvicorn says it listens
        assert thread.is_alive(), "uvicorn stopped before listening"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}{URL_PREFIX}"
    server.should_exit = True
    thread.join()


@pytest.mark.parametrize("path", ["/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"])
def test_fastapi_documentation_routes_are_switched_off(taza_site, path):
    response = requests.get(taza_site + path, timeout=30)
    assert response.status_code == 404, f"{path} answered {response.status_code} without a login"


def test_every_route_of_the_app_refuses_an_anonymous_request(taza_site):
    from taza.ui.app import app

    paths = sorted({route.path for route in app.routes if "GET" in getattr(route, "methods", ())})
    assert paths == ["/kpi", "/quality"], "a new route must be checked here too"
    for path in paths:
        response = requests.get(taza_site + path, timeout=30)
        assert response.status_code == 401, (path, response.status_code)
        assert "<html" not in response.text.lower()
