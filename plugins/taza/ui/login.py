"""The Airflow UI login: Airflow 3's SimpleAuthManager with one admin user.

The user is ``TAZA_UI_USER`` (default ``admin``), its password ``TAZA_UI_PASSWORD`` or,
when unset, one generated once into the state dir. SimpleAuthManager reads passwords from
a JSON file; ``python -m taza.ui.login`` writes it where Airflow is configured to look
(the compose api-server runs it before starting).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from taza import config

AUTH_MANAGER = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
PASSWORDS_FILE_VAR = "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"


def ui_user() -> str:
    return os.environ.get("TAZA_UI_USER") or "admin"


def ui_password() -> str:
    return config.local_secret("ui_password", "TAZA_UI_PASSWORD")


def auth_environment(passwords_file: Path) -> dict[str, str]:
    """The Airflow settings that make ``ui_user()`` the one admin of SimpleAuthManager."""
    return {"AIRFLOW__CORE__AUTH_MANAGER": AUTH_MANAGER,
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ui_user()}:admin",
            PASSWORDS_FILE_VAR: str(passwords_file)}


def write_passwords_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps({ui_user(): ui_password()}))


if __name__ == "__main__":
    write_passwords_file(Path(os.environ[PASSWORDS_FILE_VAR]))
