"""Database roles besides the owner: ``bi_reader``, the read-only login for BI tools.

bi_reader may read the tables of schema ``marts`` and nothing else: USAGE on marts
only (so raw, quarantine, audit, staging and intermediate stay invisible), SELECT on
the marts tables that exist and, through default privileges, on every table the
warehouse owner creates there later (dbt re-creates the marts on each build; the dbt
project also grants SELECT through ``+grants``). Its sessions are read-only by default.
The password comes from ``TAZA_BI_READER_PASSWORD``, else is generated once and kept
in the state dir (taza.config.bi_reader_password).
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

BI_READER = "bi_reader"
BI_SCHEMA = "marts"


def ensure_bi_reader(cursor, password: str) -> None:
    """Create or update bi_reader and its grants (idempotent; run inside the bootstrap lock)."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (BI_READER,))
    verb = "ALTER" if cursor.fetchone() else "CREATE"
    cursor.execute(f"{verb} ROLE {BI_READER} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT "
                   f"PASSWORD %s", (password,))
    cursor.execute(f"ALTER ROLE {BI_READER} SET default_transaction_read_only = on")
    cursor.execute(f"GRANT USAGE ON SCHEMA {BI_SCHEMA} TO {BI_READER}")
    cursor.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {BI_SCHEMA} TO {BI_READER}")
    cursor.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {BI_SCHEMA} GRANT SELECT ON TABLES TO {BI_READER}")


def url_for_role(url: str, role: str, password: str) -> str:
    """``url`` (a postgres URL) with its user and password replaced by ``role``'s."""
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{quote(role, safe='')}:{quote(password, safe='')}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
