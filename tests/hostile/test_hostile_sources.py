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
from hostile_run import land_and_gate, landings, prepare_database, raw_tables, reconcile, table

pytestmark = pytest.mark.integration

SEED = int(os.environ.get("TAZA_HOSTILE_SEED", "11"))
MONTHS = os.environ.get("TAZA_HOSTILE_MONTHS", "2023-10:2023-10")
TELEMETRY_DAYS = int(os.environ.get("TAZA_HOSTILE_TELEMETRY_DAYS", "1"))
DATABASE = "taza_hostile"


@pytest.fixture(scope="module")
def hostile_run(warehouse, simulator, tmp_path_factory):
    from taza import config
    from taza.pipeline.intervals import parse_month
    from taza.sources.catalogue import DATASETS

    started = time.monotonic()
    url = prepare_database(warehouse.url("postgres"), DATABASE)
    prepared = time.monotonic()
    tables_before = raw_tables(url)
    ledger = tmp_path_factory.mktemp("hostile") / "ledger.jsonl"
    proxy = HostileProxy(simulator.url, seed=SEED, ledger_path=ledger)
    try:
        first, last = (parse_month(month) for month in MONTHS.split(":"))
        jobs = landings(DATASETS.values(), first, last, TELEMETRY_DAYS)
        attempts = land_and_gate(url, proxy, config.source_api_key(), jobs)
        rec = reconcile(url, proxy, attempts, tables_before)
    finally:
        proxy.close()
    print(f"\nhostile run, seed {SEED}, months {MONTHS}: database prepared in {prepared - started:.0f}s, "
          f"landed, gated and reconciled in {time.monotonic() - prepared:.0f}s; ledger {ledger}\n{table(rec)}")
    for problem in rec.problems:
        print("PROBLEM:", problem)
    return rec


def test_the_proxy_was_hostile(hostile_run):
    assert hostile_run.totals["faults"] > 0 and hostile_run.totals["mutated"] > 0


def test_every_family_was_run(hostile_run):
    from taza.sources.catalogue import DATASETS

    assert {row["dataset"] for row in hostile_run.rows} == set(DATASETS)


def test_reconciles_nothing_lost_nothing_executed_nothing_absurd(hostile_run):
    assert hostile_run.problems == []
    assert hostile_run.totals["lost"] == 0
