"""Run source families through the hostile proxy as their DAGs would, then reconcile.

Each (dataset, month) is landed as the DAG's land task does (``ingest_interval``) and
gated as its validate task does (``validate_batches``), with the DAGs' two task retries
for a failed landing and none for a rejected batch. Everything runs in a database of its
own on the session's server, so the hostile batches never become another test's data.

The reconciliation checks what the issue asks of a hostile run: no statement from the
data ran (every raw table and a canary table still there), every batch balanced
(received = loaded + quarantined), nothing lost (each loaded batch holds, in raw and
quarantine, every record the proxy delivered to its landing), nothing absurd in staging
(texts of 20 kB, dates in 2099, negative numbers), and every interval either landed or
failed with a message.
"""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from dbt_calls import dbt_command
from hostile_proxy import CANARY_TABLE, HostileProxy

BIN = Path(sys.executable).parent
LAND_ATTEMPTS = 3  # DEFAULT_ARGS retries = 2
CANARY_ROWS = [(1, "tweet"), (2, "chirp"), (3, "song")]
LONGEST_PLAUSIBLE_TEXT = 1000  # characters; the proxy's huge strings are 20,000
PLAUSIBLE_YEARS_AHEAD = 1
# Staging columns that may hold negative numbers honestly (none so far).
MAY_BE_NEGATIVE: set[tuple[str, str]] = set()


@dataclass
class Attempt:
    tag: str
    dataset: str
    month: str
    number: int
    error: str | None = None  # what the land step raised
    gate: str = ""  # validated | rejected: <message> | error: <message>


@dataclass
class Reconciliation:
    rows: list[dict] = field(default_factory=list)  # one per dataset
    problems: list[str] = field(default_factory=list)
    totals: Counter = field(default_factory=Counter)


def prepare_database(server_url: str, name: str) -> str:
    """A fresh warehouse database ``name`` with raw/quarantine/audit tables and a canary table
    the proxy's SQL text tries to drop; returns its URL."""
    from taza.warehouse.connection import bootstrap, connect

    with connect(server_url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    url = server_url.rsplit("/", 1)[0] + "/" + name
    bootstrap(url)
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {CANARY_TABLE} (id int PRIMARY KEY, note text)")
        cur.executemany(f"INSERT INTO {CANARY_TABLE} VALUES (%s, %s)", CANARY_ROWS)
    return url


def start_staging_build(url: str, datasets) -> subprocess.Popen:
    """dbt builds the datasets' staging views (and the seeds they read, no tests) in the
    background: they are views, so landing may go on meanwhile."""
    argv, env = dbt_command(url, "build", "--select", *(f"+stg_{d.name}" for d in datasets),
                            "--exclude", "resource_type:test")
    return subprocess.Popen(argv, env=env)


def raw_tables(url: str) -> set[str]:
    from taza.warehouse.connection import connect

    with connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'")
        return {name for (name,) in cur.fetchall()}


def landings(datasets, first_month: datetime, last_month: datetime, watermark_days: int) -> list[tuple]:
    """(dataset, interval start, interval end) of every landing the DAGs would run for the months
    [first_month, last_month]: monthly datasets and registries per month, annual datasets per
    year (in the run whose interval holds the year's end), the telemetry feed for the last
    ``watermark_days`` days of each month (the industry DAG runs daily)."""
    from taza.pipeline.intervals import next_month

    months = [first_month]
    while months[-1] < last_month:
        months.append(next_month(months[-1]))
    jobs = []
    for dataset in datasets:
        if dataset.request == "annual":
            jobs += [(dataset, datetime(year, 12, 1, tzinfo=first_month.tzinfo),
                      datetime(year + 1, 1, 1, tzinfo=first_month.tzinfo))
                     for year in sorted({m.year for m in months})]
        elif dataset.request == "watermark":
            jobs += [(dataset, next_month(m) - timedelta(days=watermark_days), next_month(m)) for m in months]
        else:
            jobs += [(dataset, m, next_month(m)) for m in months]
    return jobs


def land_and_gate(url: str, proxy: HostileProxy, api_key: str, jobs: list[tuple]) -> list[Attempt]:
    """Every landing through the proxy, as the DAGs' land and validate tasks run it."""
    from taza.pipeline.ingest import ingest_interval
    from taza.quality.gate import ValidationFailed, validate_batches
    from taza.sources.http import SourceClient
    from taza.sources.limits import SourceLimits

    limits = SourceLimits(retry_after_max_s=5, retry_budget_s=60, request_deadline_s=30)
    attempts = []
    for dataset, start, end in jobs:
        for number in range(1, LAND_ATTEMPTS + 1):
            attempt = Attempt(f"{dataset.name}.{start:%Y-%m-%d}.{number}", dataset.name, f"{start:%Y-%m-%d}", number)
            attempts.append(attempt)
            client = SourceClient(f"{proxy.url}/{attempt.tag}", api_key, dataset=dataset.name,
                                  backoff_s=0.02, backoff_max_s=0.2, limits=limits)
            try:
                # each month is a job of its own, as in a run given an explicit span: no look-back
                results = ingest_interval(dataset, client, url, start, end, dag_id="hostile", run_id=attempt.tag,
                                          look_back=False)
            except Exception as err:  # noqa: BLE001 - the DAG's task fails the same way, then retries
                attempt.error = f"{type(err).__name__}: {err}"
                continue
            try:
                validate_batches(url, dataset, [r.batch_id for r in results])
                attempt.gate = "validated"
            except ValidationFailed as err:  # AirflowFailException: no retry
                attempt.gate = f"rejected: {err}"
            except Exception as err:  # noqa: BLE001
                attempt.gate = f"error: {type(err).__name__}: {err}"
            break
    return attempts


def reconcile(url: str, proxy: HostileProxy, attempts: list[Attempt], tables_before: set[str]) -> Reconciliation:
    from taza.warehouse.connection import connect

    rec = Reconciliation()
    with connect(url) as conn, conn.cursor() as cur:
        _check_no_statement_ran(cur, rec, tables_before)
        by_dataset: dict[str, Counter] = {}
        intervals: dict[tuple[str, str], list[Attempt]] = {}
        for attempt in attempts:
            intervals.setdefault((attempt.dataset, attempt.month), []).append(attempt)
            row = by_dataset.setdefault(attempt.dataset, Counter())
            answers = proxy.answers_of(attempt.tag)
            row["faults"] += sum(a.fault is not None for a in answers)
            row["mutated"] += sum(len(a.mutations) for a in answers)
            delivered = sum(a.records for a in answers)
            cur.execute("""SELECT batch_id, status, received_count, loaded_count, quarantined_count, message
                           FROM audit.batch WHERE run_id = %s""", (attempt.tag,))
            for batch_id, status, received, loaded, quarantined, message in cur.fetchall():
                _check_batch(cur, rec, row, attempt, batch_id, status, received, loaded, quarantined, message,
                             delivered)
        for (dataset, month), tries in intervals.items():
            last = tries[-1]
            if last.error is not None:
                by_dataset[dataset]["intervals failed"] += 1
                rec.problems.append(f"{dataset} {month}: not landed after {len(tries)} attempts; last: "
                                    f"{last.error[:300]}")
            elif last.gate.startswith("error"):
                rec.problems.append(f"{dataset} {month}: the gate crashed: {last.gate[:300]}")
            else:
                by_dataset[dataset]["intervals landed"] += 1
                by_dataset[dataset]["rejected by gate"] += last.gate.startswith("rejected")
        _check_staging(cur, rec)
    for dataset, row in sorted(by_dataset.items()):
        rec.rows.append({"dataset": dataset, **row})
        rec.totals.update(row)
    return rec


def _check_no_statement_ran(cur, rec: Reconciliation, tables_before: set[str]) -> None:
    cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'")
    missing = tables_before - {name for (name,) in cur.fetchall()}
    if missing:
        rec.problems.append(f"raw tables gone after the run: {sorted(missing)}")
    cur.execute("SELECT to_regclass(%s) IS NOT NULL", (CANARY_TABLE,))
    if not cur.fetchone()[0]:
        rec.problems.append(f"the canary table {CANARY_TABLE} was dropped")
        return
    cur.execute(f"SELECT id, note FROM {CANARY_TABLE} ORDER BY id")
    if cur.fetchall() != CANARY_ROWS:
        rec.problems.append(f"the canary table {CANARY_TABLE} was changed")


def _check_batch(cur, rec, row, attempt, batch_id, status, received, loaded, quarantined, message, delivered):
    row["batches"] += 1
    if status == "failed":
        row["batches failed"] += 1
        if not message:
            rec.problems.append(f"{attempt.tag}: batch {batch_id} failed without a message")
        return
    if status not in ("loaded", "validated", "rejected"):
        rec.problems.append(f"{attempt.tag}: batch {batch_id} left '{status}'")
        return
    dataset = attempt.dataset
    cur.execute(f"SELECT count(*) FROM raw.{dataset} WHERE _batch_id = %s", (batch_id,))
    in_raw = cur.fetchone()[0]
    cur.execute(f"SELECT count(*) FROM quarantine.{dataset} WHERE _batch_id = %s AND stage = 'landing'",
                (batch_id,))
    in_quarantine = cur.fetchone()[0]
    cur.execute(f"SELECT count(*) FROM quarantine.{dataset} WHERE _batch_id = %s AND stage = 'validation'",
                (batch_id,))
    by_gate = cur.fetchone()[0]  # these stay in raw too; staging skips them
    row["received"] += received
    row["quarantined at landing"] += in_quarantine
    row["quarantined by gate"] += by_gate
    lost = delivered - in_raw - in_quarantine
    row["lost"] += max(lost, 0)
    if received != loaded + quarantined:
        rec.problems.append(f"{attempt.tag}: batch {batch_id} unbalanced: received {received} != loaded "
                            f"{loaded} + quarantined {quarantined}")
    if (in_raw - by_gate, in_quarantine + by_gate) != (loaded, quarantined):
        rec.problems.append(f"{attempt.tag}: batch {batch_id} counts {loaded} loaded, {quarantined} quarantined, "
                            f"but raw holds {in_raw}, of which the gate quarantined {by_gate}, and the landing "
                            f"quarantine {in_quarantine}")
    if lost or received != delivered:
        rec.problems.append(f"{attempt.tag}: the proxy delivered {delivered} records, batch {batch_id} "
                            f"received {received}; raw + quarantine hold {in_raw + in_quarantine}")


def _check_staging(cur, rec: Reconciliation) -> None:
    """No absurd value in any staging view: over-long texts, far-future dates, negative numbers."""
    cur.execute("""SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
                   JOIN information_schema.tables t USING (table_schema, table_name)
                   WHERE c.table_schema = 'staging' AND c.table_name LIKE 'stg\\_%%'
                     AND NOT c.column_name LIKE '\\_%%'
                   ORDER BY 1, 2""")
    for table, column, data_type in cur.fetchall():
        if data_type in ("text", "character varying"):
            condition = f"length({column}) > {LONGEST_PLAUSIBLE_TEXT}"
        elif data_type in ("date", "timestamp with time zone", "timestamp without time zone"):
            condition = f"{column} > now() + interval '{PLAUSIBLE_YEARS_AHEAD} year'"
        elif data_type in ("bigint", "integer", "numeric", "double precision", "real", "smallint") \
                and (table, column) not in MAY_BE_NEGATIVE:
            condition = f"{column} < 0"
        else:
            continue
        cur.execute(f'SELECT count(*), min({column}::text) FROM staging."{table}" WHERE {condition}')
        count, example = cur.fetchone()
        if count:
            rec.problems.append(f"staging.{table}.{column}: {count} absurd value(s) ({condition}), e.g. "
                                f"{str(example)[:60]!r}")


COLUMNS = ("dataset", "faults", "mutated", "received", "quarantined at landing", "quarantined by gate",
           "batches failed", "intervals landed", "intervals failed", "rejected by gate", "lost")


def table(rec: Reconciliation) -> str:
    """The reconciliation as a text table, a totals line last."""
    widths = [max(len(c), 8) for c in COLUMNS]
    widths[0] = max([len(r["dataset"]) for r in rec.rows] + [len("total")])
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(COLUMNS, widths)))]
    for row in [*rec.rows, {"dataset": "total", **rec.totals}]:
        lines.append("  ".join(str(row.get(c, 0)).rjust(w) if i else str(row[c]).ljust(w)
                               for i, (c, w) in enumerate(zip(COLUMNS, widths))))
    return "\n".join(lines)
