"""How code reaches the warehouse: one URL, from the environment or the embedded server."""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

import psycopg2
import psycopg2.extensions

from taza import config
from taza.warehouse.ddl import migrate
from taza.warehouse.roles import closed_databases, ensure_readers

WAREHOUSE_CONN_ID = "taza_warehouse"


def warehouse_url() -> str:
    """``TAZA_WAREHOUSE_URL`` when set (any PostgreSQL), else the embedded server's URL."""
    if os.environ.get("TAZA_WAREHOUSE_URL"):
        return os.environ["TAZA_WAREHOUSE_URL"]
    from taza.warehouse.embedded import EmbeddedWarehouse
    return EmbeddedWarehouse().url()


def airflow_warehouse_url(conn_id: str = WAREHOUSE_CONN_ID) -> str:
    """The warehouse as the Airflow connection names it (inside tasks)."""
    from airflow.sdk import BaseHook

    conn = BaseHook.get_connection(conn_id)
    return conn.get_uri().replace("postgres://", "postgresql://", 1)


def url_parts(url: str) -> dict[str, str]:
    """host, port, user, password and database of a postgres URL (for dbt's profile)."""
    parts = urlsplit(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": str(parts.port or 5432),
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "database": parts.path.lstrip("/"),
    }


@contextlib.contextmanager
def connect(url: str | None = None, autocommit: bool = False) -> Iterator[psycopg2.extensions.connection]:
    """A connection that commits on success and rolls back on error, then closes."""
    conn = psycopg2.connect(url or warehouse_url(), application_name="taza")
    conn.autocommit = autocommit
    try:
        yield conn
        if not autocommit:
            conn.commit()
    except BaseException:
        if not autocommit:
            conn.rollback()
        raise
    finally:
        conn.close()


def bootstrap(url: str | None = None) -> None:
    """Apply the schema migrations (layer schemas, audit tables, the raw and quarantine tables
    of every catalogued dataset; taza.warehouse.ddl) and create the read-only roles
    (taza.warehouse.roles). Idempotent and safe to run concurrently. dbt's staging views read
    every raw table, so they must exist before a dataset's first landing."""
    url = url or warehouse_url()
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('taza.bootstrap'))")
        migrate(cur)
        ensure_readers(cur, config.bi_reader_password(), config.report_reader_password(),
                       closed_databases(url))


def ensure_database(server_url: str, name: str) -> bool:
    """Create database ``name`` on the server of ``server_url`` if missing; True if created."""
    with connect(server_url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone():
            return False
        cur.execute(f'CREATE DATABASE "{name}"')
        return True
