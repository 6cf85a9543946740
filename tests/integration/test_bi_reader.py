"""bi_reader, the BI tools' login: reads the marts and nothing else, writes nothing (real connections)."""
from __future__ import annotations


import psycopg2
import psycopg2.errors
import pytest
from dbt_calls import run_dbt

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def marts_built(warehouse_url, staging_views):
    """dim_region and its seeds, built by dbt after the bootstrap created bi_reader."""
    run_dbt(warehouse_url, "build", "--select", "+dim_region", "--indirect-selection", "cautious")


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


# --- read-only by privilege, with limits (both read-only logins) ----------------------------

@pytest.fixture(params=["bi_reader", "taza_report_reader"])
def reader_url(request, marts_built, warehouse_url) -> str:
    from taza import config
    from taza.warehouse.roles import report_reader_url, url_for_role

    if request.param == "bi_reader":
        return url_for_role(warehouse_url, "bi_reader", config.bi_reader_password())
    return report_reader_url(warehouse_url)


@pytest.mark.parametrize("statement", [
    "CREATE TEMP TABLE scratch (id int)",
    "CREATE TEMP VIEW scratch AS SELECT 1",
    "SELECT * INTO TEMP scratch FROM marts.dim_region",
    "CREATE TABLE public.scratch (id int)",
    "CREATE SCHEMA scratch",
    "SELECT lo_create(0)",
    "SELECT lo_from_bytea(0, 'x')",
    "INSERT INTO marts.dim_region (region_kato, kato_ab) VALUES ('990000000', '99')",
    "DELETE FROM marts.dim_region",
    "CREATE TABLE marts.scratch (id int)",
])
def test_no_write_and_no_temporary_object_even_after_leaving_read_only(reader_url, statement):
    """The session default is switched off first, as any user can; privileges still refuse."""
    conn = psycopg2.connect(reader_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SET default_transaction_read_only = off")
            cur.execute("SHOW transaction_read_only")
            assert cur.fetchone() == ("off",)
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(statement)
    finally:
        conn.close()


@pytest.mark.parametrize(("role", "limit", "statement_timeout", "idle_timeout", "temp_limit"), [
    ("bi_reader", 16, "5min", "5min", "2GB"), ("taza_report_reader", 8, "10min", "1min", "1GB")])
def test_sessions_carry_timeouts_and_logins_a_connection_limit(marts_built, warehouse_url, role, limit,
                                                               statement_timeout, idle_timeout, temp_limit):
    from taza import config
    from taza.warehouse.roles import url_for_role

    password = config.bi_reader_password() if role == "bi_reader" else config.report_reader_password()
    url = url_for_role(warehouse_url, role, password)
    assert run_as(url, "SELECT current_setting('statement_timeout'), "
                       "current_setting('idle_in_transaction_session_timeout'), current_setting('temp_file_limit'), "
                       "current_setting('default_transaction_read_only')") == [
        (statement_timeout, idle_timeout, temp_limit, "on")]
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="temp_file_limit"):
        run_as(url, "SET temp_file_limit = -1")  # the disk bound is not the role's to lift
    opened = [psycopg2.connect(url) for _ in range(limit)]
    try:
        with pytest.raises(psycopg2.OperationalError, match=f'too many connections for role "{role}"'):
            psycopg2.connect(url)
    finally:
        for conn in opened:
            conn.close()


@pytest.mark.parametrize("database", ["airflow", "postgres"])
def test_readers_cannot_connect_to_the_airflow_database_or_others_on_the_server(reader_url, warehouse_url,
                                                                                database):
    other = reader_url.rsplit("/", 1)[0] + f"/{database}"
    with pytest.raises(psycopg2.OperationalError, match=f'permission denied for database "{database}"'):
        psycopg2.connect(other)
    assert run_as(warehouse_url.rsplit("/", 1)[0] + f"/{database}", "SELECT 1") == [(1,)], "the owner still can"


def test_the_report_reader_reads_what_the_quality_report_shows(marts_built, warehouse_url):
    from taza.warehouse.roles import report_reader_url

    url = report_reader_url(warehouse_url)
    assert run_as(url, "SELECT current_user") == [("taza_report_reader",)]
    for table in ("audit.batch", "audit.validation_run", "quarantine.regional__planting_reports",
                  "staging.regions", "marts.dim_region"):
        assert run_as(url, f"SELECT count(*) >= 0 FROM {table}") == [(True,)], table
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied for schema raw"):
        run_as(url, "SELECT 1 FROM raw.regional__planting_reports LIMIT 1")


def test_the_reports_log_in_as_the_report_reader_not_as_the_owner(marts_built, warehouse_url):
    """Given the owner's URL with a wrong password, the report still renders: it never uses the owner's login."""
    from taza.reports.kpi_dashboard import render_kpi_dashboard
    from taza.reports.quality_report import render_quality_report
    from taza.warehouse.roles import url_for_role

    owner_with_wrong_password = url_for_role(warehouse_url, "taza", "not-the-owner-password")
    with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
        psycopg2.connect(owner_with_wrong_password)
    assert "data quality" in render_quality_report(owner_with_wrong_password).lower()
    assert "KPI dashboard" in render_kpi_dashboard(owner_with_wrong_password)
