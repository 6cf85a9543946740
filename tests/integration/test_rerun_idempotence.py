"""Running an interval twice leaves every staging view's data unchanged.

Each family's DAG runs the same interval twice. The second run lands new batches that
supersede the first ones (raw is append-only), and every staging view then shows the same
rows as before, compared on all business columns (the ``_``-prefixed lineage columns point
at the newest batch by design).
"""
from __future__ import annotations

import pytest

from dag_runs import run_dag

pytestmark = pytest.mark.integration

INTERVALS = {
    "taza_ingest_regional": {"period_from": "2024-05", "period_to": "2024-05"},
    "taza_ingest_nursery": {"period_from": "2023-01", "period_to": "2023-12"},
    "taza_ingest_industry": {"period_from": "2024-12", "period_to": "2024-12"},
}


def staging_fingerprints(db) -> dict[str, tuple[int, str]]:
    """Per staging view: row count and an order-independent digest of its business columns."""
    db.execute("""SELECT table_name, string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
                  FROM information_schema.columns
                  WHERE table_schema = 'staging' AND column_name NOT LIKE '\\_%%'
                    AND table_name IN (SELECT table_name FROM information_schema.views
                                       WHERE table_schema = 'staging')
                  GROUP BY table_name""")
    fingerprints = {}
    for view, columns in db.fetchall():
        db.execute(f"""SELECT count(*), coalesce(md5(string_agg(row_text, '|' ORDER BY row_text)), '')
                       FROM (SELECT ({columns})::text AS row_text FROM staging.{view}) AS rows""")
        fingerprints[view] = db.fetchone()
    return fingerprints


def batches_of(db, run_id):
    db.execute("SELECT dataset, interval_start, batch_id FROM audit.batch WHERE run_id = %s", (run_id,))
    return {(dataset, start): batch_id for dataset, start, batch_id in db.fetchall()}


@pytest.mark.parametrize("dag_id", sorted(INTERVALS))
def test_rerunning_an_interval_changes_no_staging_view(dag_id, airflow_env, staging_views, db):
    first = batches_of(db, run_dag(dag_id, INTERVALS[dag_id]).run_id)
    before = staging_fingerprints(db)
    second = batches_of(db, run_dag(dag_id, INTERVALS[dag_id]).run_id)
    after = staging_fingerprints(db)

    assert before and any(count for count, _ in before.values())
    assert after == before
    assert second.keys() == first.keys() and not set(second.values()) & set(first.values())
    db.execute("SELECT count(*) FROM audit.batch WHERE batch_id = ANY(%s) AND status = 'validated'",
               (list(second.values()),))
    assert db.fetchone()[0] == len(second)
