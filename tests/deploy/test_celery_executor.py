"""The pipeline on Airflow's CeleryExecutor: Redis broker, a Celery worker, the execution API.

Everything runs for real as subprocesses: redis-server (Debian's package), an api-server
serving the execution API the worker's tasks talk to, and ``airflow celery worker``.
``airflow dags test --use-executor`` drives one DAG run and hands every task to the
configured executor (CeleryExecutor) instead of running it in-process, so each task goes
through Redis to the worker. One month of each ingest DAG runs there; their OpenLineage
events, written by the worker's tasks, and those of a KPI DAG run after them must form the
same graph as the in-process runs'. The KPI DAG runs in-process: its tasks (one dbt build,
then, in session 11, one watcher per model and one per model's tests, 128 tasks) took 8
minutes on this worker (concurrency 2, 2 cores), against about 3 in-process; its tasks
emit the same events either way. ``TAZA_TEST_KPI_DAG_ON_CELERY=1`` runs it on the worker too. The metadata DB and the
warehouse are the session's embedded PostgreSQL.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
import requests
from dag_runs import INGEST_DAGS
from openlineage_graph import assert_scorecard_traces_to_every_source, read_events


pytestmark = pytest.mark.integration

MONTH = "2022-09"  # a month no other test lands on its own (they count its batches)
BIN = Path(sys.executable).parent
# The month's regional batches: three monthly datasets and the plan register (a snapshot, landed by every run).
REGIONAL = ("regional__planting_reports", "regional__campaign_reports", "regional__dump_detections",
            "regional__planting_plans")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _wait_until(ready, process: subprocess.Popen, log: Path, what: str, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        assert process.poll() is None, f"{what} exited (code {process.returncode}):\n{_tail(log)}"
        assert time.monotonic() < deadline, f"{what} not ready within {timeout_s:.0f}s:\n{_tail(log)}"
        time.sleep(0.5)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def celery_env(airflow_env, tmp_path_factory) -> dict:
    """Airflow's environment switched to the CeleryExecutor with its own broker and execution API,
    OpenLineage events to a file of this module's."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server; .ci/run does it)")
    metadata = airflow_env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    api_port = _free_port()
    return {**airflow_env,
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:{_free_port()}/0",
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata.replace("+psycopg2", "", 1),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
            # The executor signs each task's token, the api-server checks it: one shared secret.
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
            "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps({
                "type": "file", "append": True,
                "log_file_path": str(tmp_path_factory.mktemp("openlineage") / "events.jsonl")})}


@pytest.fixture(scope="module")
def celery_stack(celery_env, tmp_path_factory):
    """redis-server, the execution API and one Celery worker; all stopped afterwards."""
    logs = tmp_path_factory.mktemp("celery")
    broker_port = celery_env["AIRFLOW__CELERY__BROKER_URL"].rsplit(":", 1)[1].split("/")[0]
    api_url = celery_env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].removesuffix("/execution/")
    api_port = api_url.rsplit(":", 1)[1]
    commands = {
        "redis": ["redis-server", "--port", broker_port, "--bind", "127.0.0.1", "--save", "",
                  "--appendonly", "no", "--dir", str(logs)],
        "api-server": [str(BIN / "airflow"), "api-server", "--apps", "execution", "--host", "127.0.0.1",
                       "--port", api_port, "--workers", "1"],
        "worker": [str(BIN / "airflow"), "celery", "worker", "--concurrency", "2", "--skip-serve-logs",
                   "--celery-hostname", f"taza-test-{api_port}@%h", "--without-gossip", "--without-mingle"],
    }
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name, argv in commands.items():
            with open(logs / f"{name}.log", "wb") as log:
                processes[name] = subprocess.Popen(argv, env=celery_env, stdout=log, stderr=subprocess.STDOUT,
                                                   stdin=subprocess.DEVNULL, start_new_session=True)
        _wait_until(lambda: _answers(f"{api_url}/execution/health"), processes["api-server"],
                    logs / "api-server.log", "the execution API")
        _wait_until(lambda: " ready." in (logs / "worker.log").read_text(errors="replace"),
                    processes["worker"], logs / "worker.log", "the Celery worker")
        yield {"logs": logs, "processes": processes}
    finally:
        for process in reversed(processes.values()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


@pytest.fixture(scope="module")
def celery_runs(celery_env, celery_stack) -> dict:
    """One month of each ingest DAG, every task on the worker, then the KPI DAG, a full build so that
    every task runs (in-process unless TAZA_TEST_KPI_DAG_ON_CELERY=1): the runs' ids by DAG and the
    DAGs run on the worker."""
    runs = {}
    kpi_executor = ["--use-executor"] if os.environ.get("TAZA_TEST_KPI_DAG_ON_CELERY") == "1" else []
    for dag_id, conf, executor in [*((dag, {"period_from": MONTH, "period_to": MONTH}, ["--use-executor"])
                                     for dag in INGEST_DAGS), ("taza_build_kpis", {"full_build": True}, kpi_executor)]:
        run = subprocess.run([str(BIN / "airflow"), "dags", "test", dag_id, "-c", json.dumps(conf), *executor],
                             env=celery_env, capture_output=True, text=True, timeout=1500)
        worker_log = (celery_stack["logs"] / "worker.log").read_text(errors="replace")
        assert run.returncode == 0, (dag_id + ":\n" + run.stdout[-3000:] + run.stderr[-3000:]
                                     + "\nworker:\n" + worker_log[-3000:])
        metadata = psycopg2.connect(celery_env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].replace("+psycopg2", "", 1))
        with metadata, metadata.cursor() as cur:
            cur.execute("SELECT run_id FROM dag_run WHERE dag_id = %s ORDER BY id DESC LIMIT 1", (dag_id,))
            runs[dag_id] = cur.fetchone()[0]
        metadata.close()
    return {"run_ids": runs, "on_worker": [*INGEST_DAGS, *(["taza_build_kpis"] if kpi_executor else [])]}


def test_every_task_of_the_executors_runs_ran_on_the_celery_worker(celery_env, celery_stack, celery_runs):
    executor_runs = {dag_id: celery_runs["run_ids"][dag_id] for dag_id in celery_runs["on_worker"]}
    metadata = psycopg2.connect(celery_env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].replace("+psycopg2", "", 1))
    with metadata, metadata.cursor() as cur:
        cur.execute("SELECT run_id, task_id, state FROM task_instance WHERE (dag_id, run_id) IN %s",
                    (tuple(executor_runs.items()),))
        instances = cur.fetchall()
    metadata.close()
    assert {run_id for run_id, _, _ in instances} == set(executor_runs.values())
    assert all(state == "success" for _, _, state in instances), [i for i in instances if i[2] != "success"]
    worker_log = (celery_stack["logs"] / "worker.log").read_text(errors="replace")
    executed = set(re.findall(r"Executing workload in Celery: .*?task_id='([^']+)'.*?run_id='([^']+)'",
                              worker_log))
    assert {(task_id, run_id) for run_id, task_id, _ in instances} <= executed, \
        "every task of the runs went through the Celery worker"


def test_the_regional_month_landed_validated_and_balanced(celery_runs, db):
    db.execute("""SELECT dataset, status, received_count, loaded_count, quarantined_count, batch_id
                  FROM audit.batch
                  WHERE run_id = %s AND to_char(interval_start, 'YYYY-MM') = %s ORDER BY dataset""",
               (celery_runs["run_ids"]["taza_ingest_regional"], MONTH))
    batches = db.fetchall()
    assert [b[0] for b in batches] == sorted(REGIONAL)
    assert {b[0]: b[2] for b in batches}["regional__planting_reports"] > 0, "planting reports came in"
    for dataset, status, received, loaded, quarantined, batch_id in batches:
        assert status == "validated" and received == loaded + quarantined, (dataset, status)
        db.execute(f"SELECT count(*) FROM raw.{dataset} WHERE _batch_id = %s", (batch_id,))
        assert db.fetchone()[0] == loaded, f"raw.{dataset} holds the batch's loaded rows"


def test_the_workers_openlineage_events_lead_from_the_scorecard_to_every_source(celery_env, celery_runs,
                                                                                 warehouse_url, simulator, db):
    """The lineage graph test of the in-process runs, on the events the Celery worker's tasks wrote:
    every gate that judged a batch of the month reports its expectations."""
    events = read_events(Path(json.loads(celery_env["AIRFLOW__OPENLINEAGE__TRANSPORT"])["log_file_path"]))
    assert {e["run"]["facets"]["airflow"]["dagRun"]["dag_id"] for e in events
            if "airflow" in e["run"].get("facets", {})} >= {*INGEST_DAGS, "taza_build_kpis"}
    judged = assert_scorecard_traces_to_every_source(events, warehouse_url, simulator.url)
    db.execute("SELECT DISTINCT dataset FROM audit.batch WHERE run_id IN %s",
               (tuple(celery_runs["run_ids"][dag_id] for dag_id in INGEST_DAGS),))
    batched = {dataset for (dataset,) in db.fetchall()}
    assert {"regional__planting_reports", "nursery__nurseries", "industry__enterprises"} <= batched
    assert judged == batched
