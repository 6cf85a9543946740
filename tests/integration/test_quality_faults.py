"""Simulator faults through the real HTTP client, raw loader and GX gate: where each bad record ends up.

Expected counts come from the simulator's own fault model (taza.simulator.faults.mutations.expected_effects
on the unfaulted pages), never from numbers written here.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from taza import config
from taza.load.raw import land_batch
from taza.quality.gate import validate_batches
from taza.simulator.faults.mutations import expected_effects
from taza.simulator.faults.transport import FAULT_HEADER
from taza.sources.http import SourceClient
from taza.sources.regional import PLANTING_REPORTS

pytestmark = pytest.mark.integration

MAY_2022 = (datetime(2022, 5, 1, tzinfo=timezone.utc), datetime(2022, 6, 1, tzinfo=timezone.utc))
PARAMS = {"period_from": "2022-05", "period_to": "2022-05", "page": 1, "page_size": 10}
TREES_MAX = 50_000_000  # the suite's bound on trees_planted per district-month


def client(simulator, fault: str | None = None) -> SourceClient:
    source = SourceClient(simulator.url, config.source_api_key(), dataset=PLANTING_REPORTS.name)
    if fault:
        source.session.headers[FAULT_HEADER] = fault
    return source


def land_with(simulator, warehouse_url, fault: str | None):
    pages = client(simulator, fault).iter_pages(PLANTING_REPORTS.path, PARAMS)
    return land_batch(warehouse_url, PLANTING_REPORTS, pages, *MAY_2022, source_url=simulator.url)


@pytest.fixture(scope="module")
def clean_pages(simulator) -> list[list[dict]]:
    pages = [page.records for page in client(simulator).iter_pages(PLANTING_REPORTS.path, PARAMS)]
    assert len(pages) >= 2, "the month must span several pages for the duplicates fault"
    return pages


def quarantined(db, batch_id: str) -> list[tuple[str, str, str | None]]:
    db.execute("""SELECT stage, reason, expectation FROM quarantine.regional__planting_reports
                  WHERE _batch_id = %s""", (batch_id,))
    return db.fetchall()


@pytest.mark.parametrize("fault, stage, reason_start", [
    ("unknown_region", "validation", "expect_column_values_to_be_in_set(region_kato): region_kato = 999999999"),
    ("bad_values", "validation", "expect_column_values_to_be_between(trees_planted): trees_planted = "),
    ("wrong_types", "landing", "field 'trees_planted'"),
    ("missing_field", "landing", "missing required field 'trees_planted'"),
    ("duplicates", "landing", "duplicate natural key"),
])
def test_each_data_fault_ends_up_in_quarantine_with_its_reason(fault, stage, reason_start, simulator, warehouse_url,
                                                                db, clean_pages, staging_views):
    effects = expected_effects(clean_pages, [fault])
    if fault == "bad_values":  # the absurd values (x 1 000 000) of small counts can still be plausible
        effects = [e for e in effects if not 0 <= e.after <= TREES_MAX]
    assert effects, f"{fault} changed nothing in the month"

    batch = land_with(simulator, warehouse_url, fault)
    [verdict] = validate_batches(warehouse_url, PLANTING_REPORTS, [batch.batch_id])

    assert verdict.passed, "a tenth of the records failing is quarantined, not a rejected batch"
    rows = quarantined(db, batch.batch_id)
    assert len(rows) == len(effects)
    assert {r[0] for r in rows} == {stage}
    assert all(r[1].startswith(reason_start) for r in rows), rows[:3]
    db.execute("""SELECT status, received_count, loaded_count, quarantined_count FROM audit.batch
                  WHERE batch_id = %s""", (batch.batch_id,))
    status, received, loaded, quarantined_count = db.fetchone()
    assert (status, quarantined_count) == ("validated", len(effects))
    assert received == loaded + quarantined_count == sum(len(p) for p in clean_pages)
    db.execute("SELECT count(*) FROM staging.stg_regional__planting_reports WHERE _batch_id = %s",
               (batch.batch_id,))
    assert db.fetchone() == (loaded,), "staging reads every loaded record and none of the quarantined"


def test_a_fault_hitting_half_the_records_rejects_the_batch_and_staging_keeps_the_last_good_one(
        simulator, warehouse_url, db, clean_pages, staging_views):
    from taza.quality.gate import ValidationFailed

    good = land_with(simulator, warehouse_url, None)
    validate_batches(warehouse_url, PLANTING_REPORTS, [good.batch_id])
    bad = land_with(simulator, warehouse_url, "unknown_region:every=2")
    with pytest.raises(ValidationFailed, match="over the 20% quarantine tolerance|region_kato"):
        validate_batches(warehouse_url, PLANTING_REPORTS, [bad.batch_id])
    db.execute("SELECT status FROM audit.batch WHERE batch_id = %s", (bad.batch_id,))
    assert db.fetchone() == ("rejected",)
    db.execute("""SELECT DISTINCT _batch_id FROM staging.stg_regional__planting_reports
                  WHERE period_month = '2022-05-01'""")
    assert db.fetchall() == [(good.batch_id,)]


def test_every_batch_balances_and_its_counts_match_the_rows(warehouse_url, db):
    """received = loaded + quarantined for every batch, and the counts are the rows really there."""
    db.execute("""SELECT count(*) FROM audit.batch WHERE status IN ('loaded', 'validated', 'rejected')
                  AND received_count <> loaded_count + quarantined_count""")
    assert db.fetchone() == (0,)
    db.execute("""SELECT batch.batch_id, batch.loaded_count, batch.quarantined_count,
                         (SELECT count(*) FROM raw.regional__planting_reports AS r WHERE r._batch_id = batch.batch_id),
                         (SELECT count(*) FROM quarantine.regional__planting_reports AS q
                          WHERE q._batch_id = batch.batch_id),
                         (SELECT count(*) FROM quarantine.regional__planting_reports AS q
                          WHERE q._batch_id = batch.batch_id AND q.stage = 'validation')
                  FROM audit.batch AS batch
                  WHERE batch.dataset = 'regional__planting_reports'
                    AND batch.status IN ('loaded', 'validated', 'rejected')""")
    rows = db.fetchall()
    assert rows
    for batch_id, loaded, quarantined_count, in_raw, in_quarantine, at_validation in rows:
        assert quarantined_count == in_quarantine, batch_id
        assert loaded == in_raw - at_validation, batch_id
