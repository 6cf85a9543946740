"""The compose stack's Airflow logins as users of FAB (apache-airflow-providers-fab's FabAuthManager).

Compose runs Airflow with FabAuthManager, the auth manager Airflow documents for production:
users, roles and password hashes live in the metadata DB. The logins are the ones of
taza.ui.login (admin, engineer, auditor), with FAB's matching roles (Admin, Op, Viewer).
``python -m taza.ui.fab_users`` (airflow-init, after ``airflow db migrate``) creates them
from the environment, or brings an existing one to its role and the environment's password,
so a rerun after a change in .env applies it and a rerun without one changes nothing (an
unchanged password is not rewritten, so its user's sessions stay valid). The passwords are
read from the environment in this process, never put on a command line as
``airflow users create --password`` would (visible in ``ps``).
"""
from __future__ import annotations

import os

from taza.ui.login import LOGINS, ui_logins

AUTH_MANAGER = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"
DB_MANAGER = "airflow.providers.fab.auth_manager.models.db.FABDBManager"
# taza.ui.login's roles (SimpleAuthManager's names) -> FAB's built-in roles.
FAB_ROLES = {"admin": "Admin", "op": "Op", "viewer": "Viewer"}


def _require_passwords() -> None:
    """Compose's passwords come from .env only: a password generated here would be known to nobody."""
    missing = [f"TAZA_UI{suffix}_PASSWORD" for _, suffix, _ in LOGINS.values()
               if not os.environ.get(f"TAZA_UI{suffix}_PASSWORD")]
    if missing:
        raise SystemExit(f"fab_users: {', '.join(missing)} not set (see .env.example)")


def sync_users() -> dict[str, str]:
    """Create or update the three logins in FAB's tables; ``{user: created|updated|unchanged}``."""
    _require_passwords()
    from airflow.configuration import conf

    if conf.get("core", "auth_manager") != AUTH_MANAGER:
        raise SystemExit(f"fab_users: [core] auth_manager is not {AUTH_MANAGER}")
    from airflow.providers.fab.auth_manager.cli_commands.utils import get_application_builder
    from werkzeug.security import check_password_hash

    done = {}
    # Building the app builder syncs FAB's built-in roles and permissions ([fab] update_fab_perms).
    with get_application_builder() as appbuilder:
        sm = appbuilder.sm
        for login in ui_logins():
            role = sm.find_role(FAB_ROLES[login.role])
            if role is None:
                raise SystemExit(f"fab_users: FAB has no role {FAB_ROLES[login.role]}")
            user = sm.find_user(username=login.user)
            if user is None:
                sm.add_user(login.user, login.kind.capitalize(), "Taza", f"{login.user}@taza.invalid",
                            role, login.password)
                done[login.user] = "created"
                continue
            changed = False
            if [r.name for r in user.roles] != [role.name] or not user.active:
                user.roles, user.active, changed = [role], True, True
                if not sm.update_user(user):
                    raise SystemExit(f"fab_users: could not update {login.user}")
            if not check_password_hash(user.password, login.password):
                changed = True
                if not sm.reset_password(user.id, login.password):
                    raise SystemExit(f"fab_users: could not set the password of {login.user}")
            done[login.user] = "updated" if changed else "unchanged"
    return done


if __name__ == "__main__":
    for user, what in sync_users().items():
        print(f"Airflow login {user}: {what}")
