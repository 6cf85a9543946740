"""One run through the real airflow CLI (`taza airflow dags test`), as a data engineer types it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

TAZA = str(Path(sys.executable).parent / "taza")


def test_ingest_dag_runs_through_the_airflow_cli(airflow_env, db):
    db.execute("SELECT coalesce(max(started_at), '-infinity') FROM audit.batch")
    before = db.fetchone()[0]
    conf = json.dumps({"period_from": "2023-03", "period_to": "2023-04"})
    result = subprocess.run([TAZA, "airflow", "dags", "test", "taza_ingest_regional", "-c", conf],
                            env=airflow_env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    db.execute("""SELECT dataset, to_char(interval_start, 'YYYY-MM'), status,
                         received_count = loaded_count + quarantined_count
                  FROM audit.batch WHERE started_at > %s ORDER BY 1, 2""", (before,))
    batches = db.fetchall()
    assert [b for b in batches if b[0] == "regional__planting_reports"] == [
        ("regional__planting_reports", "2023-03", "validated", True),
        ("regional__planting_reports", "2023-04", "validated", True)]
    assert {b[0] for b in batches} == {"regional__planting_reports", "regional__campaign_reports",
                                       "regional__dump_detections", "regional__planting_plans"}, (
        "no annual period ends in March-April; the plan register is a snapshot, landed by every run")
    assert all(status == "validated" and balanced for _, _, status, balanced in batches)

    # The CLI's output carries the landing progress as events the demo reads back.
    from taza.pipeline.progress import read_landing_event

    events = [e for line in (result.stdout + result.stderr).splitlines() if (e := read_landing_event(line))]
    assert [(e.window, e.unit, e.done, e.total) for e in events if e.dataset == "regional__planting_reports"] == [
        ("2023-03", "months", 1, 2), ("2023-04", "months", 2, 2)]


def test_taza_warehouse_url_is_a_tcp_url_psql_can_use(airflow_env, warehouse_url):
    result = subprocess.run([TAZA, "warehouse", "url"], env=airflow_env, capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.strip() == warehouse_url
    assert warehouse_url.startswith("postgresql://taza:") and "@127.0.0.1:" in warehouse_url
