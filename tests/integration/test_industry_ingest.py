"""taza_ingest_industry for a quarter over HTTP: every dataset lands, matching the simulator's own figures."""
from __future__ import annotations

import pytest

from dag_runs import run_dag
from taza.simulator.industry.ams_stacks import ams_stack_records
from taza.simulator.industry.emissions_annual import emission_records
from taza.simulator.industry.enterprises import enterprise_records
from taza.simulator.industry.greening import commitment_records, planting_records
from taza.simulator.industry.telemetry import telemetry_count

pytestmark = pytest.mark.integration

# One run over Q4 2024: three months, the year that ends with them, a registry snapshot, the telemetry.
Q4_2024 = {"period_from": "2024-10", "period_to": "2024-12"}
Q4_MONTHS = ("2024-10", "2024-11", "2024-12")


@pytest.fixture(scope="module")
def landed(airflow_env):
    return run_dag("taza_ingest_industry", Q4_2024).run_id


def raw_counts(db, run_id):
    db.execute("""SELECT dataset, sum(loaded_count), sum(received_count),
                         bool_and(status = 'validated'), bool_and(received_count = loaded_count + quarantined_count)
                  FROM audit.batch WHERE run_id = %s GROUP BY dataset""", (run_id,))
    return {dataset: (loaded, received, validated, balanced)
            for dataset, loaded, received, validated, balanced in db.fetchall()}


def test_every_industry_dataset_lands_what_the_simulator_serves(landed, db, simulator_config):
    expected = {
        "industry__enterprises": len(enterprise_records(simulator_config)),
        "industry__ams_stacks": len(ams_stack_records(simulator_config)),
        "industry__commitments": sum(r["year"] == 2024 for r in commitment_records(simulator_config)),
        "industry__plantings": sum(r["period"] in Q4_MONTHS for r in planting_records(simulator_config)),
        "industry__emissions_annual": sum(r["year"] == 2024 for r in emission_records(simulator_config)),
        "industry__telemetry": telemetry_count(simulator_config, "2024-09-30T23:59:59.999999+00:00",
                                               "2025-01-01T00:00:00+00:00"),
    }
    counts = raw_counts(db, landed)
    assert {d: c[0] for d, c in counts.items()} == expected
    assert counts["industry__plantings"][0] > 0 and counts["industry__telemetry"][0] > 0
    assert all(received == loaded for loaded, received, _, _ in counts.values())
    assert all(validated and balanced for _, _, validated, balanced in counts.values())


def test_telemetry_watermark_is_the_last_reading_and_sums_match(landed, db, simulator_config):
    db.execute("""SELECT high_watermark FROM audit.batch
                  WHERE run_id = %s AND dataset = 'industry__telemetry'""", (landed,))
    assert db.fetchone()[0].isoformat() == "2024-12-31T23:40:00+00:00"
    db.execute("""SELECT count(*), count(DISTINCT reading_id) FROM raw.industry__telemetry t
                  JOIN audit.batch b ON b.batch_id = t._batch_id WHERE b.run_id = %s""", (landed,))
    total, distinct = db.fetchone()
    assert total == distinct
