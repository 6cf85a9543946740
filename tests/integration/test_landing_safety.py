"""Landing and gating under overlap, kills and retries, on the real warehouse and dbt.

The telemetry fact takes batches validated out of order; a retried landing leaves no
unvalidated orphan; the interval lock makes a second writer wait and then fail saying
what it waited for; an interrupted loader marks its batch failed, a SIGKILLed one is
swept by the next landing; a registry snapshot that shrank is rejected.
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from dbt_calls import run_dbt

from taza import config
from taza.load.raw import land_batch
from taza.quality.gate import ValidationFailed, validate_batches
from taza.quality.registry_guard import registry_shrink_outcome
from taza.sources.http import Page, SourceClient
from taza.sources.industry import ENTERPRISES, TELEMETRY
from taza.warehouse.connection import connect
from taza.warehouse.locks import LockWaitTimeout, lock_interval

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent
SLOW_LANDING = Path(__file__).with_name("slow_landing.py")


def day(text: str) -> tuple[datetime, datetime]:
    start = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    return start, start + timedelta(days=1)


def readings(start: datetime, stack: int, count: int) -> list[dict]:
    """Valid readings of one day (before the simulated feed starts, so no other test meets them)."""
    stack_id = f"000000000001-S{stack:02d}"
    return [{"reading_id": f"{stack_id}:pm:{int((start + timedelta(minutes=20 * n)).timestamp())}",
             "bin": "000000000001", "stack_id": stack_id, "pollutant": "pm",
             "reading_at": (start + timedelta(minutes=20 * n)).isoformat(), "value_mg_m3": 10 + n % 7,
             "limit_mg_m3": 50, "flow_m3_h": 1000 + n, "status": "ok"} for n in range(count)]


def land_records(url, dataset, records, interval):
    page = Page(url="http://test/page=1", body=json.dumps(records).encode(), records=records, number=1)
    return land_batch(url, dataset, [page], *interval, source_url="http://test")


def batch_status(db, batch_id) -> tuple[str, str | None]:
    db.execute("SELECT status, message FROM audit.batch WHERE batch_id = %s", (batch_id,))
    return db.fetchone()


def readings_digest(db, relation, interval) -> tuple[int, str]:
    """Count and digest of the readings of ``interval`` in ``relation``, reading by reading."""
    db.execute(f"""SELECT count(*), md5(string_agg(concat_ws('|', reading_id, enterprise_bin, stack_id, pollutant,
                                                          reading_at, value_mg_m3, limit_mg_m3, flow_m3_h, status,
                                                          _batch_id),
                                               ',' ORDER BY reading_id))
                   FROM {relation} WHERE reading_at >= %s AND reading_at < %s""", interval)
    return db.fetchone()


def test_fact_takes_telemetry_batches_validated_out_of_order(warehouse_url, db, staging_views):
    first_day, second_day = day("2019-02-10"), day("2019-02-11")
    both_days = (first_day[0], second_day[1])
    first = land_records(warehouse_url, TELEMETRY, readings(first_day[0], 1, 72), first_day)
    second = land_records(warehouse_url, TELEMETRY, readings(second_day[0], 1, 72), second_day)

    validate_batches(warehouse_url, TELEMETRY, [second.batch_id])  # the later day passes its gate first
    run_dbt(warehouse_url, "run", "--select", "fct_emission_readings")
    validate_batches(warehouse_url, TELEMETRY, [first.batch_id])
    run_dbt(warehouse_url, "run", "--select", "fct_emission_readings")

    staged = readings_digest(db, "staging.stg_industry__telemetry", both_days)
    assert staged[0] == 144
    assert readings_digest(db, "marts.fct_emission_readings_v2", both_days) == staged


def test_a_retried_landing_leaves_no_unvalidated_orphan(warehouse_url, db):
    interval = day("2019-02-20")
    earlier = land_records(warehouse_url, TELEMETRY, readings(interval[0], 2, 6), interval)
    retry = land_records(warehouse_url, TELEMETRY, readings(interval[0], 2, 6), interval)

    status, message = batch_status(db, earlier.batch_id)
    assert status == "failed"
    assert message.startswith(f"superseded before validation by batch {retry.batch_id}")
    assert batch_status(db, retry.batch_id) == ("loaded", None)
    [verdict] = validate_batches(warehouse_url, TELEMETRY, [earlier.batch_id])
    assert verdict.superseded_by == retry.batch_id, "a late gate of the orphan names the batch that replaced it"
    assert batch_status(db, earlier.batch_id)[0] == "failed", "the gate recorded nothing for the orphan"
    db.execute("SELECT count(*) FROM audit.validation_run WHERE batch_id = %s", (earlier.batch_id,))
    assert db.fetchone()[0] == 0


def test_a_second_writer_of_an_interval_waits_then_says_what_it_waited_for(warehouse_url, db, monkeypatch):
    interval = day("2019-02-21")
    monkeypatch.setenv("TAZA_LOCK_TIMEOUT_SECONDS", "0.5")
    with connect(warehouse_url) as holder, holder.cursor() as cur:
        lock_interval(cur, TELEMETRY.name, interval[0], "gate")
        with pytest.raises(LockWaitTimeout, match=r"industry__telemetry interval starting 2019-02-21T00:00:00\+00:00: "
                                                  r"landing gave up after 0.5 s .* waiting for the advisory lock of "
                                                  r"this interval, held by pid \d+ \(taza gate industry__telemetry "
                                                  r"2019-02-21"):
            land_records(warehouse_url, TELEMETRY, readings(interval[0], 3, 3), interval)
    db.execute("""SELECT status, message FROM audit.batch WHERE dataset = %s AND interval_start = %s""",
               (TELEMETRY.name, interval[0]))
    [(status, message)] = db.fetchall()
    assert status == "failed" and "gave up after 0.5 s" in message

    landed = land_records(warehouse_url, TELEMETRY, readings(interval[0], 3, 3), interval)  # lock released
    assert batch_status(db, landed.batch_id) == ("loaded", None)


def test_migrations_are_versioned_and_applied_once(warehouse_url, db):
    from taza.warehouse.ddl import MIGRATIONS, migrate

    db.execute("SELECT version FROM audit.schema_migration ORDER BY version")
    assert [version for (version,) in db.fetchall()] == sorted(m.version for m in MIGRATIONS)
    with connect(warehouse_url) as conn, conn.cursor() as cur:
        assert migrate(cur) == []


def test_a_warehouse_bootstrapped_by_an_older_release_gains_the_newer_migrations(warehouse_url, monkeypatch):
    """A migration's DDL is never edited once released: an existing warehouse only runs the
    versions it has not recorded (session 8 added audit.batch columns to migration 1, which a
    warehouse already past it never got; the reports task then failed on the missing column)."""
    from psycopg2 import sql

    from taza.warehouse import ddl
    from taza.warehouse.ddl import MIGRATIONS, migrate

    older = "taza_older_release"
    server = warehouse_url.rsplit("/", 1)[0]
    with connect(f"{server}/postgres", autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(older)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(older)))
    try:
        with connect(f"{server}/{older}") as conn, conn.cursor() as cur:
            with monkeypatch.context() as older_release:  # the release before the OpenLineage run ids
                older_release.setattr(ddl, "MIGRATIONS", MIGRATIONS[:3])
                migrate(cur)
            cur.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'audit' "
                        "AND table_name = 'batch' AND column_name LIKE '%%lineage_run_id'")
            assert cur.fetchone() == (0,), "migrations 1-3 must not create what migration 4 adds"
            assert migrate(cur) == [m.version for m in MIGRATIONS[3:]]
            cur.execute("SELECT land_lineage_run_id, gate_lineage_run_id FROM audit.batch")
            assert cur.fetchall() == []
    finally:
        with connect(f"{server}/postgres", autocommit=True) as conn, conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(older)))


def test_landing_runs_no_ddl_so_a_long_read_does_not_block_it(warehouse_url, db, monkeypatch):
    interval = day("2019-02-25")
    monkeypatch.setenv("TAZA_LOCK_TIMEOUT_SECONDS", "2")
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=2000")  # any DDL behind the read fails instead of hanging
    with connect(warehouse_url) as reader, reader.cursor() as cur:  # a BI read, still open
        cur.execute(f"SELECT (SELECT count(*) FROM {TELEMETRY.raw_table}), "
                    f"(SELECT count(*) FROM {TELEMETRY.quarantine_table})")
        landed = land_records(warehouse_url, TELEMETRY, readings(interval[0], 5, 3), interval)
    assert batch_status(db, landed.batch_id) == ("loaded", None)


def start_slow_landing(url: str, day_text: str, db) -> tuple[subprocess.Popen, str]:
    """The loader of slow_landing.py, mid-landing: its first page sent, its batch 'loading'."""
    process = subprocess.Popen([sys.executable, str(SLOW_LANDING), url, day_text], stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout.readline().strip() == "first page sent"
    db.execute("""SELECT batch_id, status FROM audit.batch WHERE dataset = %s AND interval_start = %s""",
               (TELEMETRY.name, day(day_text)[0]))
    [(batch_id, status)] = db.fetchall()
    assert status == "loading"
    return process, batch_id


def test_an_interrupted_loader_marks_its_batch_failed(warehouse_url, db):
    process, batch_id = start_slow_landing(warehouse_url, "2019-02-22", db)
    process.send_signal(signal.SIGINT)  # what Airflow's supervisor sends first when it stops a task
    assert process.wait() != 0
    status, message = batch_status(db, batch_id)
    assert status == "failed"
    assert message.startswith("KeyboardInterrupt: interrupted (SIGINT: the task was stopped or killed) while landing")
    db.execute("SELECT count(*) FROM raw.industry__telemetry WHERE _batch_id = %s", (batch_id,))
    assert db.fetchone()[0] == 0


def test_a_killed_loaders_batch_is_swept_by_the_next_landing(warehouse_url, db):
    from taza.load.batches import sweep_dead_loadings

    process, batch_id = start_slow_landing(warehouse_url, "2019-02-23", db)
    assert batch_id not in sweep_dead_loadings(warehouse_url), "a live landing is never swept"
    db.execute("SELECT backend_pid FROM audit.batch WHERE batch_id = %s", (batch_id,))
    [backend_pid] = db.fetchone()
    process.kill()
    process.wait()
    while True:  # the server ends the session once it sees the closed socket
        db.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (backend_pid,))
        if db.fetchone()[0] == 0:
            break
        time.sleep(0.1)

    next_day = day("2019-02-24")
    land_records(warehouse_url, TELEMETRY, readings(next_day[0], 4, 3), next_day)
    status, message = batch_status(db, batch_id)
    assert status == "failed"
    assert message.startswith("swept: left loading by ") and f"(warehouse session {backend_pid})" in message


def registry_records(simulator) -> list[dict]:
    source = SourceClient(simulator.url, config.source_api_key(), dataset=ENTERPRISES.name)
    return [record for page in source.iter_pages(ENTERPRISES.path, {"page": 1, "page_size": 500})
            for record in page.records]


DIM_ENTERPRISE = ("snap_industry__enterprises", "dim_enterprise", "--exclude", "resource_type:test")


def dim_enterprise(db) -> tuple[int, str]:
    db.execute("""SELECT count(*), md5(string_agg(enterprise_bin || enterprise_name, ',' ORDER BY enterprise_bin))
                  FROM marts.dim_enterprise_v2""")
    return db.fetchone()


def test_a_registry_snapshot_that_shrank_is_rejected_and_the_dimension_kept(warehouse_url, db, simulator,
                                                                             staging_views):
    registry = registry_records(simulator)
    interval = day("2019-03-01")
    full = land_records(warehouse_url, ENTERPRISES, registry, interval)
    validate_batches(warehouse_url, ENTERPRISES, [full.batch_id])
    run_dbt(warehouse_url, "build", "--select", "population_by_region_year", "dim_region", *DIM_ENTERPRISE)
    before = dim_enterprise(db)
    assert before[0] == len(registry) > 100

    short = land_records(warehouse_url, ENTERPRISES, registry[:5], interval)
    with pytest.raises(ValidationFailed) as rejected:
        validate_batches(warehouse_url, ENTERPRISES, [short.batch_id])
    message = str(rejected.value)
    assert f"registry_shrink_guard[at most 20% fewer rows than the last validated snapshot] observed " \
           f"{{'rows': 5, 'previous_rows': {len(registry)}, 'previous_batch': '{full.batch_id}'" in message
    assert "accept_registry_shrink" in message and "--conf" in message
    assert batch_status(db, short.batch_id)[0] == "rejected"
    run_dbt(warehouse_url, "build", "--select", *DIM_ENTERPRISE)
    assert dim_enterprise(db) == before

    with connect(warehouse_url) as conn, conn.cursor() as cur:  # the same snapshot, accepted on purpose
        accepted = registry_shrink_outcome(cur, ENTERPRISES, short.batch_id, 5, 0, accept=True)
    assert accepted.success and accepted.observed["accepted_on_purpose"]
