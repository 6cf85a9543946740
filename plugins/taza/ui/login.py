"""The Airflow UI logins: one user per role of the team; `taza ui` gives them Airflow 3's SimpleAuthManager.

| login      | user (default)                    | Airflow role | may                                             |
| ---------- | --------------------------------- | ------------ | ----------------------------------------------- |
| admin      | ``TAZA_UI_USER`` (admin)          | admin        | everything, incl. connections and configuration |
| engineer   | ``TAZA_UI_ENGINEER_USER`` (engineer) | op        | operate DAGs: trigger, clear, backfill, pause; pools, variables, connections |
| auditor    | ``TAZA_UI_AUDITOR_USER`` (auditor)  | viewer      | read DAG runs, task logs and the Taza pages; no change of any kind |

Each password is ``TAZA_UI_PASSWORD`` / ``TAZA_UI_ENGINEER_PASSWORD`` /
``TAZA_UI_AUDITOR_PASSWORD`` or, when unset, generated once into the state dir.
SimpleAuthManager reads passwords from a JSON file, which `taza ui` writes before it starts
the api-server. The compose stack has the same logins as FAB users (taza.ui.fab_users).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from taza import config

AUTH_MANAGER = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
PASSWORDS_FILE_VAR = "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"


@dataclass(frozen=True)
class Login:
    """One of the team's logins: its user name, its SimpleAuthManager role, its password."""

    kind: str
    user: str
    role: str
    password: str


# kind: (Airflow role, env var suffix, default user)
LOGINS = {"admin": ("admin", "", "admin"), "engineer": ("op", "_ENGINEER", "engineer"),
          "auditor": ("viewer", "_AUDITOR", "auditor")}


def ui_logins() -> list[Login]:
    """The admin, engineer and auditor logins, users and passwords from the environment or generated."""
    logins = []
    for kind, (role, suffix, default_user) in LOGINS.items():
        secret_name = "ui_password" if kind == "admin" else f"ui_{kind}_password"
        logins.append(Login(kind, os.environ.get(f"TAZA_UI{suffix}_USER") or default_user, role,
                            config.local_secret(secret_name, f"TAZA_UI{suffix}_PASSWORD")))
    return logins


def ui_login(kind: str) -> Login:
    return next(login for login in ui_logins() if login.kind == kind)


def auth_environment(passwords_file: Path) -> dict[str, str]:
    """The Airflow settings that give each login its role in SimpleAuthManager."""
    return {"AIRFLOW__CORE__AUTH_MANAGER": AUTH_MANAGER,
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": ",".join(f"{l.user}:{l.role}" for l in ui_logins()),
            PASSWORDS_FILE_VAR: str(passwords_file)}


def write_passwords_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps({login.user: login.password for login in ui_logins()}))

