"""Copies of the warehouse database on its own server, for tests that need the same built state.

A build of the whole history takes minutes; a copy made with ``CREATE DATABASE ... TEMPLATE``
takes seconds. Database-level grants are not copied with a database, so a restore runs the
(idempotent) bootstrap again, which grants the readers CONNECT.
"""
from __future__ import annotations

from psycopg2 import sql

from taza.warehouse.connection import bootstrap, connect, url_parts


def _server_url(warehouse_url: str) -> str:
    return warehouse_url.rsplit("/", 1)[0] + "/postgres"


def empty_warehouse(warehouse_url: str) -> None:
    """Replace the warehouse database with a new, bootstrapped one (its sessions are ended)."""
    database = url_parts(warehouse_url)["database"]
    with connect(_server_url(warehouse_url), autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    bootstrap(warehouse_url)


def save_copy(warehouse_url: str, copy: str) -> None:
    """Copy the warehouse database to ``copy`` (replacing an older one); other sessions on the
    warehouse are ended, since a template must have none."""
    database = url_parts(warehouse_url)["database"]
    with connect(_server_url(warehouse_url), autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(copy)))
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (database,))
        cur.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(copy), sql.Identifier(database)))


def restore_copy(warehouse_url: str, copy: str) -> None:
    """Replace the warehouse database with ``copy`` (its sessions are ended), then bootstrap it."""
    database = url_parts(warehouse_url)["database"]
    with connect(_server_url(warehouse_url), autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database)))
        cur.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(database), sql.Identifier(copy)))
    bootstrap(warehouse_url)
