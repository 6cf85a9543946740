"""All three source families through a hostile proxy: nothing lost, nothing executed, nothing absurd.

The suite runs one month (October 2023, planting season: every monthly dataset has
records; the annual datasets for 2023; one day of telemetry, as the daily industry run)
at the session's scale 0.05 with short retry delays, in a database of its own. ``make
hostile`` runs the larger seeded version (``TAZA_HOSTILE_MONTHS=2024-01:2024-06``, a
week of telemetry per month) and prints the reconciliation table; ``TAZA_HOSTILE_SEED``
changes the seed. The ledger of every answer the proxy gave is written next to the
temporary files (its path is printed).
"""
from __future__ import annotations

import os
import time

import pytest

from hostile_proxy import HostileProxy
from hostile_run import (land_and_gate, landings, prepare_database, raw_tables, reconcile, start_staging_build,
                         table)

pytestmark = pytest.mark.integration

SEED = int(os.environ.get("TAZA_HOSTILE_SEED", "11"))
MONTHS = os.environ.get("TAZA_HOSTILE_MONTHS", "2023-10:2023-10")
TELEMETRY_DAYS = int(os.environ.get("TAZA_HOSTILE_TELEMETRY_DAYS", "1"))
# Every family, and each request style (monthly, annual, snapshot, watermark); "all" for every dataset.
DATASETS = os.environ.get("TAZA_HOSTILE_DATASETS", "regional__planting_reports,regional__campaign_reports,"
                          "nursery__nurseries,nursery__seedling_stock,industry__enterprises,"
                          "industry__emissions_annual,industry__telemetry")
FAULT_RATE = float(os.environ.get("TAZA_HOSTILE_FAULT_RATE", "0.08"))  # of requests
MUTATION_RATE = float(os.environ.get("TAZA_HOSTILE_MUTATION_RATE", "0.03"))  # of records
DATABASE = "taza_hostile"  # a database of its own: the hostile batches are no other test's data


@pytest.fixture(scope="module")
def hostile_run(warehouse, simulator, tmp_path_factory):
    from taza import config
    from taza.pipeline.intervals import parse_month
    from taza.sources.catalogue import DATASETS as CATALOGUE, get_dataset

    started = time.monotonic()
    datasets = list(CATALOGUE.values()) if DATASETS == "all" else [get_dataset(n) for n in DATASETS.split(",")]
    url = prepare_database(warehouse.url("postgres"), DATABASE)
    staging = start_staging_build(url, datasets)
    tables_before = raw_tables(url)
    ledger = tmp_path_factory.mktemp("hostile") / "ledger.jsonl"
    proxy = HostileProxy(simulator.url, seed=SEED, fault_rate=FAULT_RATE, mutation_rate=MUTATION_RATE,
                         ledger_path=ledger)
    try:
        first, last = (parse_month(month) for month in MONTHS.split(":"))
        attempts = land_and_gate(url, proxy, config.source_api_key(), landings(datasets, first, last, TELEMETRY_DAYS))
        landed = time.monotonic()
        assert staging.wait() == 0, "dbt could not build the staging views (see its output above)"
        rec = reconcile(url, proxy, attempts, tables_before)
    finally:
        proxy.close()
        if staging.poll() is None:
            staging.kill()
    print(f"\nhostile run, seed {SEED}, months {MONTHS}, {len(datasets)} datasets, faults on {FAULT_RATE:.0%} of "
          f"requests, {MUTATION_RATE:.1%} of records mutated: landed and gated in "
          f"{landed - started:.0f}s, staging built and reconciled {time.monotonic() - landed:.0f}s later; "
          f"ledger {ledger}\n{table(rec)}")
    for problem in rec.problems:
        print("PROBLEM:", problem)
    return rec


def test_the_proxy_was_hostile(hostile_run):
    assert hostile_run.totals["faults"] > 0 and hostile_run.totals["mutated"] > 0


def test_every_family_was_run(hostile_run):
    assert {row["dataset"].split("__")[0] for row in hostile_run.rows} == {"regional", "nursery", "industry"}


def test_reconciles_nothing_lost_nothing_executed_nothing_absurd(hostile_run):
    assert hostile_run.problems == []
    assert hostile_run.totals["lost"] == 0
