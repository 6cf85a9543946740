"""Logging in to the Airflow REST API of a running `taza ui`, as any of the team's logins."""
from __future__ import annotations

import requests


def bearer_headers(url: str, user: str, password: str) -> dict:
    """Headers of a logged-in user (a bearer token from /auth/token of the api-server at ``url``)."""
    token = requests.post(f"{url}/auth/token", json={"username": user, "password": password}, timeout=30)
    assert token.status_code == 201, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}
