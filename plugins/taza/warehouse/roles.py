"""Database roles besides the owner: the read-only logins ``bi_reader`` and ``taza_report_reader``.

bi_reader (BI tools) may read the tables of schema ``marts`` and nothing else: USAGE on
marts only (raw, quarantine, audit, staging and intermediate stay invisible), SELECT on
the marts tables that exist and, through default privileges, on every table the
warehouse owner creates there later (dbt re-creates the marts on each build and also
grants SELECT through ``+grants``).

taza_report_reader (the /taza pages and the HTML reports) reads marts as a member of
bi_reader, plus audit, quarantine and staging, which the data-quality report shows.

Both are read-only by privilege, not only by the session default a user may switch
off: no write grant anywhere, no TEMPORARY on the warehouse database (revoked from
PUBLIC; CONNECT is granted to them by name), no CREATE on schema public, no large
object creation. Their sessions carry a statement_timeout, an
idle_in_transaction_session_timeout and, when the bootstrap runs as a superuser, a
temp_file_limit; their logins are capped by CONNECTION LIMIT. statement_timeout is a
default the user can raise with SET; temp_file_limit (superuser-only) and the connection
limit cannot be changed by the role. The Airflow metadata database, when it lives on the
same server, refuses them (CONNECT revoked from PUBLIC).

Passwords come from ``TAZA_BI_READER_PASSWORD`` / ``TAZA_REPORT_READER_PASSWORD``, else
are generated once and kept in the state dir (taza.config).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

from psycopg2 import sql

from taza import config

log = logging.getLogger(__name__)

BI_READER = "bi_reader"
REPORT_READER = "taza_report_reader"
BI_SCHEMA = "marts"
REPORT_SCHEMAS = ("audit", "quarantine", "staging")  # marts through membership in bi_reader
# Databases on the warehouse server the readers must not enter (when they exist and we own
# them): Airflow's metadata database (its default name; see closed_databases) and the maintenance one.
CLOSED_DATABASES = ("airflow", "postgres")


@dataclass(frozen=True)
class ReaderLimits:
    """Session limits of a read-only login, set as role settings (applied at each login)."""

    connection_limit: int
    settings: dict[str, str] = field(default_factory=dict)
    superuser_settings: dict[str, str] = field(default_factory=dict)  # only a superuser may set these


BI_READER_LIMITS = ReaderLimits(
    connection_limit=16,
    settings={"default_transaction_read_only": "on", "statement_timeout": "5min",
              "idle_in_transaction_session_timeout": "5min"},
    superuser_settings={"temp_file_limit": "2GB"})
# The quality report's lineage scans whole staging views, which may take minutes on a full
# warehouse: a longer statement bound than bi_reader's, with fewer connections.
REPORT_READER_LIMITS = ReaderLimits(
    connection_limit=8,
    settings={"default_transaction_read_only": "on", "statement_timeout": "10min",
              "idle_in_transaction_session_timeout": "1min"},
    superuser_settings={"temp_file_limit": "1GB"})
# Functions that create large objects: any role may call them by default (a disk write
# outside every table privilege).
LARGE_OBJECT_CREATORS = ("lo_create(oid)", "lo_creat(integer)", "lo_from_bytea(oid, bytea)")


def ensure_readers(cursor, bi_password: str, report_password: str, closed_databases=CLOSED_DATABASES) -> None:
    """Create or update both read-only logins, their grants and limits (idempotent; run inside
    the bootstrap lock, as the warehouse owner)."""
    superuser = _is_superuser(cursor)
    _close_warehouse_to_public(cursor, superuser)
    _ensure_login(cursor, BI_READER, bi_password, BI_READER_LIMITS, superuser, inherit=False)
    _grant_read(cursor, BI_READER, BI_SCHEMA)
    _ensure_login(cursor, REPORT_READER, report_password, REPORT_READER_LIMITS, superuser, inherit=True)
    cursor.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(BI_READER), sql.Identifier(REPORT_READER)))
    for schema in REPORT_SCHEMAS:
        _grant_read(cursor, REPORT_READER, schema)
    revoke_public_connect(cursor, closed_databases)


def _is_superuser(cursor) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return cursor.fetchone()[0]


def _close_warehouse_to_public(cursor, superuser: bool) -> None:
    """No temporary objects, no tables in public, no large objects for roles without a grant by name."""
    cursor.execute("SELECT current_database()")
    database = sql.Identifier(cursor.fetchone()[0])
    cursor.execute(sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(database))
    cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    if superuser:  # the functions belong to the bootstrap superuser
        for function in LARGE_OBJECT_CREATORS:
            cursor.execute(f"REVOKE EXECUTE ON FUNCTION pg_catalog.{function} FROM PUBLIC")
    else:
        log.warning("warehouse owner is not a superuser: large-object creation stays open to PUBLIC and "
                    "temp_file_limit is not set for the readers; run the bootstrap once as a superuser to close it")


def _ensure_login(cursor, role: str, password: str, limits: ReaderLimits, superuser: bool, inherit: bool) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
    verb = sql.SQL("ALTER" if cursor.fetchone() else "CREATE")
    name = sql.Identifier(role)
    cursor.execute(sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                           "{} CONNECTION LIMIT {} PASSWORD %s").format(
        verb, name, sql.SQL("INHERIT" if inherit else "NOINHERIT"), sql.Literal(limits.connection_limit)),
        (password,))
    settings = {**limits.settings, **(limits.superuser_settings if superuser else {})}
    for setting, value in settings.items():
        cursor.execute(sql.SQL("ALTER ROLE {} SET {} = {}").format(name, sql.Identifier(setting), sql.Literal(value)))
    cursor.execute("SELECT current_database()")
    cursor.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(cursor.fetchone()[0]), name))


def _grant_read(cursor, role: str, schema: str) -> None:
    """USAGE and SELECT on the schema's tables now and, by default privileges, later."""
    values = {"schema": sql.Identifier(schema), "role": sql.Identifier(role)}
    cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA {schema} TO {role}").format(**values))
    cursor.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}").format(**values))
    cursor.execute(sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {role}")
                   .format(**values))


def revoke_public_connect(cursor, databases) -> list[str]:
    """REVOKE CONNECT FROM PUBLIC on those of ``databases`` that exist on this server (other than the
    current one) and that the current user owns or, as a superuser, may change; returns them."""
    cursor.execute("""SELECT datname FROM pg_database
                      WHERE datname = ANY(%s) AND datname <> current_database()
                        AND (pg_has_role(current_user, datdba, 'MEMBER')
                             OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))
                      ORDER BY datname""", (list(databases),))
    closed = [name for (name,) in cursor.fetchall()]
    for name in closed:
        cursor.execute(sql.SQL("REVOKE CONNECT ON DATABASE {} FROM PUBLIC").format(sql.Identifier(name)))
    return closed


def closed_databases(warehouse_url: str) -> tuple[str, ...]:
    """CLOSED_DATABASES, plus the database of ``TAZA_AIRFLOW_DB_URL`` when it is on the warehouse's server."""
    airflow = urlsplit(os.environ.get("TAZA_AIRFLOW_DB_URL", ""))
    warehouse = urlsplit(warehouse_url)
    same_server = (airflow.hostname, airflow.port or 5432) == (warehouse.hostname, warehouse.port or 5432)
    extra = airflow.path.lstrip("/") if airflow.path and same_server else ""
    return CLOSED_DATABASES + ((extra,) if extra and extra not in CLOSED_DATABASES else ())


def report_reader_url(warehouse_url: str) -> str:
    """The warehouse URL, logged in as taza_report_reader: how the /taza pages and the HTML reports read."""
    return url_for_role(warehouse_url, REPORT_READER, config.report_reader_password())


def url_for_role(url: str, role: str, password: str) -> str:
    """``url`` (a postgres URL) with its user and password replaced by ``role``'s, both URL-encoded
    (a password with ``@``, ``#``, ``/`` or ``%`` stays one password)."""
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{quote(role, safe='')}:{quote(password, safe='')}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
