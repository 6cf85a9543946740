"""The reports site's login: an nginx ``htpasswd`` file written at start from the environment.

    python -m taza.reports_login /path/to/htpasswd   # TAZA_REPORTS_USER, TAZA_REPORTS_PASSWORD

The compose stack runs this once before nginx starts, so the password lives only in
``.env`` and the file holds a salted SHA-1 hash (``{SSHA}``, a scheme nginx's
``auth_basic_user_file`` reads), never the password.
"""
from __future__ import annotations

import base64
import hashlib
import os
import secrets
import sys
from pathlib import Path

SALT_BYTES = 16


def htpasswd_line(user: str, password: str, salt: bytes | None = None) -> str:
    """``user:{SSHA}base64(sha1(password + salt) + salt)``."""
    if not user or ":" in user or "\n" in user:
        raise ValueError(f"reports login user {user!r}: must be non-empty, without ':' or a newline")
    if not password:
        raise ValueError("reports login password is empty: set TAZA_REPORTS_PASSWORD in .env")
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = hashlib.sha1(password.encode() + salt).digest()
    return f"{user}:{{SSHA}}{base64.b64encode(digest + salt).decode()}\n"


def write_htpasswd(path: Path, user: str, password: str) -> None:
    """Replace ``path`` with a one-login htpasswd; readable by nginx's worker (a hash, not the password)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(htpasswd_line(user, password))
    temporary.chmod(0o644)
    os.replace(temporary, path)


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python -m taza.reports_login HTPASSWD_PATH")
    try:
        write_htpasswd(Path(argv[0]), os.environ.get("TAZA_REPORTS_USER", ""),
                       os.environ.get("TAZA_REPORTS_PASSWORD", ""))
    except ValueError as error:
        raise SystemExit(f"reports login not written: {error}. The reports site stays closed until it is.")
    print(f"reports login for {os.environ['TAZA_REPORTS_USER']} written to {argv[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
