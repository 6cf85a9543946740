"""Catch-up and backfill as a data engineer meets them: the real scheduler runs the ingest DAG.

`taza ui` starts the scheduler, dag-processor and api-server with ``TAZA_HISTORY_START``
two months back, so unpausing ``taza_ingest_regional`` makes the scheduler catch up on
exactly two monthly intervals. ``airflow backfill create --reprocess-behavior completed``
then reruns the same two months: they land new batches that supersede the catch-up's, and
staging reads them.
"""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent
DAG_ID = "taza_ingest_regional"
WAIT_S = 900


def _months_back(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 - months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=timezone.utc)


HISTORY_START = _months_back(datetime.now(timezone.utc), 2)
CAUGHT_UP = [HISTORY_START, _months_back(datetime.now(timezone.utc), 1)]


@pytest.fixture(scope="module")
def scheduler(airflow_env, warehouse_url):
    """The local stack of `taza ui` (scheduler, dag-processor, api-server) with a short history."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**airflow_env, "TAZA_HISTORY_START": HISTORY_START.strftime("%Y-%m-%d")}
    started = subprocess.run([str(BIN / "taza"), "ui", "--port", str(port)], env=env, capture_output=True,
                             text=True, timeout=600)
    try:
        assert started.returncode == 0, started.stdout[-3000:] + started.stderr[-3000:]
        yield {"url": f"http://127.0.0.1:{port}", "env": env}
    finally:
        subprocess.run([str(BIN / "taza"), "ui", "stop"], env=env, timeout=120)
        subprocess.run([str(BIN / "taza"), "sources", "stop"], env=env, timeout=60)


def airflow(stack, *args: str) -> str:
    done = subprocess.run([str(BIN / "airflow"), *args], env=stack["env"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def api(stack) -> requests.Session:
    from taza.ui.login import ui_login

    admin = ui_login("admin")
    token = requests.post(f"{stack['url']}/auth/token", json={"username": admin.user, "password": admin.password},
                          timeout=30).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def wait_for(what: str, probe, timeout_s: float = WAIT_S):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(3)
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}")


def finished_runs(session, stack, run_type: str) -> list[dict] | None:
    """The DAG's runs of ``run_type`` once none is still queued or running."""
    answer = session.get(f"{stack['url']}/api/v2/dags/{DAG_ID}/dagRuns", params={"limit": 100}, timeout=30)
    answer.raise_for_status()
    runs = [r for r in answer.json()["dag_runs"] if r["run_type"] == run_type]
    if len(runs) < len(CAUGHT_UP) or any(r["state"] in ("queued", "running") for r in runs):
        return None
    return runs


def campaign_batches(db, run_ids):
    """The batches of the campaign reports, a monthly dataset without look-back: one per run and month."""
    db.execute("""SELECT interval_start, status, received_count = loaded_count + quarantined_count
                  FROM audit.batch WHERE dataset = 'regional__campaign_reports' AND run_id = ANY(%s)
                  ORDER BY interval_start""", (run_ids,))
    return db.fetchall()


@pytest.fixture(scope="module")
def caught_up(scheduler):
    session = api(scheduler)
    wait_for("the dag-processor to parse the DAG",
             lambda: session.get(f"{scheduler['url']}/api/v2/dags/{DAG_ID}", timeout=30).ok)
    airflow(scheduler, "dags", "unpause", DAG_ID)
    try:
        yield wait_for("the catch-up runs", lambda: finished_runs(session, scheduler, "scheduled"))
    finally:
        # Paused again, or every later `taza ui` of the session would catch up from the full history.
        airflow(scheduler, "dags", "pause", DAG_ID)


def test_unpausing_catches_up_one_run_per_missed_month(caught_up, db):
    assert sorted(r["data_interval_start"][:10] for r in caught_up) == [m.strftime("%Y-%m-%d") for m in CAUGHT_UP]
    assert {r["state"] for r in caught_up} == {"success"}
    batches = campaign_batches(db, [r["dag_run_id"] for r in caught_up])
    assert [(start, status, balanced) for start, status, balanced in batches] == [
        (month, "validated", True) for month in CAUGHT_UP]


def test_backfill_reprocesses_the_months_and_supersedes_their_batches(scheduler, caught_up, staging_views, db):
    session = api(scheduler)
    airflow(scheduler, "backfill", "create", "--dag-id", DAG_ID,
            "--from-date", CAUGHT_UP[0].strftime("%Y-%m-%d"), "--to-date", CAUGHT_UP[-1].strftime("%Y-%m-%d"),
            "--reprocess-behavior", "completed", "--max-active-runs", "2")
    backfilled = wait_for("the backfill runs", lambda: finished_runs(session, scheduler, "backfill"))
    assert {r["state"] for r in backfilled} == {"success"}
    # Reprocessing reruns the months' existing runs (same run ids): each now has two batches.
    run_ids = [r["dag_run_id"] for r in backfilled]
    assert sorted(run_ids) == sorted(r["dag_run_id"] for r in caught_up)
    assert [(start, status) for start, status, _ in campaign_batches(db, run_ids)] == [
        (month, "validated") for month in CAUGHT_UP for _ in range(2)]
    db.execute("""SELECT DISTINCT ON (interval_start) batch_id FROM audit.batch
                  WHERE dataset = 'regional__campaign_reports' AND run_id = ANY(%s)
                  ORDER BY interval_start, loaded_at DESC""", (run_ids,))
    newest = {batch_id for (batch_id,) in db.fetchall()}
    db.execute("""SELECT DISTINCT _batch_id FROM staging.stg_regional__campaign_reports
                  WHERE period_month >= %s""", (HISTORY_START.date(),))
    assert {batch_id for (batch_id,) in db.fetchall()} <= newest, "staging reads the backfill's batches"


def test_the_ui_shows_the_log_of_a_task_the_scheduler_ran(scheduler, caught_up):
    """The stack's components serve no logs over HTTP (they share one log folder): the api-server
    reads a finished task's log from there, with the loader's own line in it."""
    run = caught_up[-1]
    answer = api(scheduler).get(f"{scheduler['url']}/api/v2/dags/{DAG_ID}/dagRuns/{run['dag_run_id']}"
                                "/taskInstances/land_campaign_reports/logs/1", headers={"Accept": "application/json"},
                                timeout=60)
    answer.raise_for_status()
    events = [str(line.get("event", "")) for line in answer.json()["content"]]
    assert any(event.startswith("regional__campaign_reports [") and "received" in event for event in events), \
        events[-20:]
