"""Every simulator fault kind, switched on for a real ingest DAG run over HTTP.

The dump detections of May 2024 (two pages) are landed by ``taza_ingest_regional``
with one fault kind at a time. What should happen is predicted from the simulator's own
unfaulted pages through ``faults.expected_effects``, the code the server itself runs:

- transport faults that stop in time are retried and land the month whole;
- ``duplicates``, ``missing_field`` and ``wrong_types`` quarantine exactly the hit records
  at landing, with the reason, and load the rest;
- ``bad_values`` and ``unknown_region`` never reach staging: a value beyond the digits
  staging keeps is quarantined at landing, the others type fine and land in raw, and the
  quality gate either quarantines the hit records or rejects the batch;
- a schema change (``renamed_field``) or a body that stays truncated fails the task with a
  message naming the dataset, the URL and what was wrong, and the month's previous
  validated batch stays the current one.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from dag_runs import parse_dag

from taza.pipeline.ingest import PAGE_SIZE
from taza.simulator.faults.mutations import apply_data_faults, paginate
from taza.simulator.regional.dump_detections import dump_detections
from taza.sources.regional import DUMP_DETECTIONS

pytestmark = pytest.mark.integration

MAY_2024 = {"period_from": "2024-05", "period_to": "2024-05"}
DATASET = "regional__dump_detections"
TASKS = ["land_dump_detections", "validate_dump_detections"]


@pytest.fixture(scope="module")
def served_pages(simulator_config):
    """May 2024 as the simulator serves it without faults, cut into the loader's pages."""
    month = [r for r in dump_detections(simulator_config) if r["detected_at"].startswith("2024-05")]
    pages = paginate(month, PAGE_SIZE)
    assert len(pages) >= 2, "the month must span several pages for paging faults to bite"
    return pages


@pytest.fixture(scope="module")
def run_with_faults(airflow_env, simulator):
    """Run the dump-detection tasks of the regional DAG for May 2024 under ``specs``.

    Airflow's own task retries are switched off so a failure shows at once; the HTTP
    client's retries (the behaviour under test) stay on.
    """
    from airflow.utils.state import DagRunState

    dag = parse_dag("taza_ingest_regional").partial_subset(task_ids=TASKS, include_upstream=True)
    for task in dag.tasks:
        task.retries = 0

    def run(*specs: str) -> tuple[bool, str]:
        simulator.set_faults(specs)
        try:
            dag_run = dag.test(run_conf=MAY_2024)
        finally:
            simulator.set_faults([])  # the session's simulator serves every later test
        return dag_run.state == DagRunState.SUCCESS, dag_run.run_id

    return run


@pytest.fixture(scope="module")
def clean_month(run_with_faults):
    """A validated May 2024 first, so failing runs can show it stays in force."""
    succeeded, run_id = run_with_faults()
    assert succeeded
    return run_id


def batch_of(db, run_id):
    db.execute("""SELECT batch_id, status, received_count, loaded_count, quarantined_count, message
                  FROM audit.batch WHERE run_id = %s AND dataset = %s""", (run_id, DATASET))
    rows = db.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(("batch_id", "status", "received", "loaded", "quarantined", "message"), rows[0]))


def raw_rows(db, batch_id):
    db.execute(f"SELECT count(*), sum(lat), sum(area_m2) FROM raw.{DATASET} WHERE _batch_id = %s", (batch_id,))
    return db.fetchone()


def landing_quarantine(db, batch_id):
    db.execute(f"""SELECT reason FROM quarantine.{DATASET}
                   WHERE _batch_id = %s AND stage = 'landing'""", (batch_id,))
    return [reason for (reason,) in db.fetchall()]


def current_batch_of_may(db):
    db.execute("""SELECT batch_id FROM audit.batch
                  WHERE dataset = %s AND interval_start = '2024-05-01T00:00:00+00' AND status = 'validated'
                  ORDER BY loaded_at DESC, batch_id DESC LIMIT 1""", (DATASET,))
    return db.fetchone()[0]


def decimal_sum(records, field):
    return sum(Decimal(str(r[field])) for r in records)


@pytest.mark.parametrize("spec", ["server_error:2", "rate_limit:2:retry_after=0.2", "slow:1:delay=0.5",
                                  "truncated:1"])
def test_transient_transport_faults_are_retried_and_the_month_lands_whole(
        spec, clean_month, run_with_faults, db, served_pages):
    succeeded, run_id = run_with_faults(spec)
    assert succeeded
    batch = batch_of(db, run_id)
    records = [r for page in served_pages for r in page]
    assert (batch["status"], batch["received"], batch["loaded"], batch["quarantined"]) == (
        "validated", len(records), len(records), 0)
    assert raw_rows(db, batch["batch_id"]) == (len(records), decimal_sum(records, "lat"),
                                               decimal_sum(records, "area_m2"))


@pytest.mark.parametrize("kind, reason", [("duplicates", "duplicate natural key"),
                                          ("missing_field", "lat"),
                                          ("wrong_types", "lat")])
def test_malformed_records_are_quarantined_at_landing_and_the_rest_loads(
        kind, reason, clean_month, run_with_faults, db, served_pages):
    faulted_pages, effects = apply_data_faults(served_pages, [kind])
    hit = {(effect.page, effect.index) for effect in effects}
    assert hit, f"{kind} must hit some records of May 2024"
    kept = [r for number, page in enumerate(faulted_pages, 1) for index, r in enumerate(page)
            if (number, index) not in hit]

    succeeded, run_id = run_with_faults(kind)
    assert succeeded
    batch = batch_of(db, run_id)
    received = sum(len(page) for page in faulted_pages)
    assert (batch["status"], batch["received"]) == ("validated", received)
    assert batch["received"] == batch["loaded"] + batch["quarantined"]
    reasons = landing_quarantine(db, batch["batch_id"])
    assert len(reasons) == len(hit) and all(reason in text for text in reasons)
    assert raw_rows(db, batch["batch_id"]) == (len(kept), decimal_sum(kept, "lat"), decimal_sum(kept, "area_m2"))


@pytest.mark.parametrize("kind", ["bad_values", "unknown_region"])
def test_implausible_records_land_but_never_reach_staging(kind, clean_month, run_with_faults, db, served_pages):
    faulted_pages, effects = apply_data_faults(served_pages, [kind])
    records = [r for page in faulted_pages for r in page]
    hit_ids = {faulted_pages[e.page - 1][e.index]["detection_id"] for e in effects}
    assert hit_ids
    limits = {f.name: f.numeric_limit for f in DUMP_DETECTIONS.fields if f.numeric_limit is not None}
    beyond_digits = {faulted_pages[e.page - 1][e.index]["detection_id"] for e in effects
                     if e.field in limits and abs(Decimal(str(e.after))) >= limits[e.field]}
    landed = [r for r in records if r["detection_id"] not in beyond_digits]

    _, run_id = run_with_faults(kind)
    batch = batch_of(db, run_id)
    assert batch["received"] == len(records) == batch["loaded"] + batch["quarantined"]
    reasons = landing_quarantine(db, batch["batch_id"])  # the rest type fine: the gate's business
    assert len(reasons) == len(beyond_digits) and all("does not fit numeric" in reason for reason in reasons)
    assert raw_rows(db, batch["batch_id"])[:2] == (len(landed), decimal_sum(landed, "lat"))
    if batch["status"] == "rejected":
        assert current_batch_of_may(db) != batch["batch_id"]
    else:
        db.execute(f"""SELECT record->>'detection_id' FROM quarantine.{DATASET}
                       WHERE _batch_id = %s AND stage = 'validation'""", (batch["batch_id"],))
        assert hit_ids - beyond_digits <= {detection_id for (detection_id,) in db.fetchall()}


@pytest.mark.parametrize("spec, problem", [("renamed_field", "schema change"),
                                           ("truncated@2", "malformed JSON")])
def test_a_schema_change_or_a_broken_page_fails_the_task_and_keeps_the_previous_batch(
        spec, problem, clean_month, run_with_faults, db):
    before = current_batch_of_may(db)
    succeeded, run_id = run_with_faults(spec)
    assert not succeeded
    batch = batch_of(db, run_id)
    assert batch["status"] == "failed"
    assert DATASET in batch["message"] and "/regional/v1/dump-detections" in batch["message"]
    assert problem in batch["message"]
    assert current_batch_of_may(db) == before
