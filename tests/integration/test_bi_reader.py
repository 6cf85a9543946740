"""bi_reader, the BI tools' login: reads the marts and nothing else, writes nothing (real connections)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import psycopg2.errors
import pytest

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def marts_built(warehouse_url, staging_views):
    """dim_region and its seeds, built by dbt after the bootstrap created bi_reader."""
    from taza import config
    from taza.pipeline.dbt import dbt_environment

    subprocess.run([str(Path(sys.executable).parent / "dbt"), "build", "--select", "+dim_region", "--indirect-selection", "cautious",
                    "--profiles-dir", str(config.DBT_PROJECT_DIR), "--quiet"],
                   cwd=config.DBT_PROJECT_DIR, env={**os.environ, **dbt_environment(warehouse_url)}, check=True)


@pytest.fixture()
def bi_url(marts_built, capsys) -> str:
    from taza.cli import main

    assert main(["warehouse", "url", "--role", "bi_reader"]) == 0
    return capsys.readouterr().out.strip()


def run_as(url: str, sql: str):
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall() if cur.description else None
    finally:
        conn.close()


def test_the_url_logs_in_as_bi_reader_and_reads_the_marts(bi_url):
    assert bi_url.startswith("postgresql://bi_reader:")
    assert run_as(bi_url, "SELECT current_user") == [("bi_reader",)]
    assert run_as(bi_url, "SELECT count(*) FROM marts.dim_region") == [(20,)]


@pytest.mark.parametrize("table", ["raw.regional__planting_reports", "quarantine.regional__planting_reports",
                                   "audit.batch", "staging.stg_regional__planting_reports", "staging.regions"])
def test_every_other_schema_is_refused(bi_url, table):
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied for schema"):
        run_as(bi_url, f"SELECT 1 FROM {table} LIMIT 1")


@pytest.mark.parametrize("statement", [
    "INSERT INTO marts.dim_region (region_kato, kato_ab) VALUES ('990000000', '99')",
    "UPDATE marts.dim_region SET name_en = 'x'",
    "DELETE FROM marts.dim_region",
    "CREATE TABLE marts.bi_scratch (id int)",
    "DROP TABLE marts.dim_region",
    "CREATE SCHEMA bi_scratch",
])
def test_every_write_is_refused(bi_url, statement):
    with pytest.raises((psycopg2.errors.ReadOnlySqlTransaction, psycopg2.errors.InsufficientPrivilege)):
        run_as(bi_url, statement)


def test_writes_are_refused_by_privileges_even_outside_a_read_only_transaction(bi_url):
    """The read-only session default is a second line; the grants alone already refuse."""
    conn = psycopg2.connect(bi_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SET default_transaction_read_only = off")
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("DELETE FROM marts.dim_region")
    finally:
        conn.close()


def test_bootstrap_is_idempotent_and_takes_the_password_from_the_environment(marts_built, warehouse_url,
                                                                             monkeypatch):
    from taza.warehouse.connection import bootstrap
    from taza.warehouse.roles import BI_READER, url_for_role

    monkeypatch.setenv("TAZA_BI_READER_PASSWORD", "rotated-in-test")
    bootstrap(warehouse_url)
    bootstrap(warehouse_url)
    assert run_as(url_for_role(warehouse_url, BI_READER, "rotated-in-test"),
                  "SELECT count(*) FROM marts.dim_region") == [(20,)]
    monkeypatch.delenv("TAZA_BI_READER_PASSWORD")
    bootstrap(warehouse_url)  # back to the generated password the other tests use
