"""Benchmark: the GX gate on the largest batch (an AMS telemetry window) against hand-written SQL.

A telemetry window is landed over HTTP (after a warm-up gate of the same window landed once
before), then validated twice:
1. the gate, ``validate_batches`` (GX suite on a query asset, every check pushed down
   to PostgreSQL, quarantine, results in audit.*) and the run's Data Docs (built once per
   DAG run, here one window), and, apart, the GX validation alone;
2. one hand-written query counting the same failures in a single scan of the batch.
Both must agree on the failure counts. Three rounds, each on a new landing of the window;
prints the median seconds of each and the ratios.
"""
from __future__ import annotations

import os
import statistics
import time
from datetime import datetime, timezone

from results import Row, emit
from stack import local_stack

ROUNDS = 3  # each side's time is the median of as many rounds: one query's time varies by a third here
SINCE = datetime(2025, 3, 1, tzinfo=timezone.utc)
UNTIL = datetime(2025, 3, 8, tzinfo=timezone.utc)

# The telemetry suite's row checks, written by hand (same bounds as expectations/industry__telemetry.json).
HAND_WRITTEN = """
SELECT count(*) AS row_count,
       count(*) - count(DISTINCT reading_id) AS duplicate_reading_ids,
       count(*) FILTER (WHERE reading_id IS NULL OR bin IS NULL OR stack_id IS NULL OR pollutant IS NULL
                        OR reading_at IS NULL OR value_mg_m3 IS NULL OR limit_mg_m3 IS NULL
                        OR flow_m3_h IS NULL OR readings.status IS NULL) AS null_fields,
       count(*) FILTER (WHERE bin !~ '^[0-9]{12}$') AS bad_bin,
       count(*) FILTER (WHERE stack_id !~ '^[0-9]{12}-S[0-9]+$') AS bad_stack_id,
       count(*) FILTER (WHERE pollutant NOT IN ('co', 'nox', 'pm', 'so2')) AS bad_pollutant,
       count(*) FILTER (WHERE NOT value_mg_m3 BETWEEN 0 AND 100000) AS bad_value,
       count(*) FILTER (WHERE NOT limit_mg_m3 BETWEEN 1 AND 100000) AS bad_limit,
       count(*) FILTER (WHERE NOT flow_m3_h BETWEEN 0 AND 20000000) AS bad_flow,
       count(*) FILTER (WHERE readings.status NOT IN ('ok', 'maintenance', 'fault')) AS bad_status,
       count(*) FILTER (WHERE readings.status <> 'ok') AS not_ok_status,
       count(*) FILTER (WHERE NOT (reading_at >= batch.interval_start AND reading_at < batch.interval_end))
           AS outside_interval
FROM raw.industry__telemetry AS readings
JOIN audit.batch AS batch ON batch.batch_id = readings._batch_id
WHERE readings._batch_id = %s
"""


def main() -> list[Row]:
    with local_stack(scale=1.0, airflow=False) as stack:
        os.environ["TAZA_REPORTS_DIR"] = os.path.join(os.environ["TAZA_STATE_DIR"], "reports")
        from taza import config
        from taza.load.raw import land_batch
        from taza.pipeline.ingest import CURSOR_PAGE_SIZE
        from taza.quality.gate import validate_batches
        from taza.quality.gx_runner import SuiteRunner, build_data_docs
        from taza.quality.suites import load_suite_document
        from taza.sources.http import SourceClient
        from taza.sources.industry import TELEMETRY
        from taza.warehouse.connection import connect

        client = SourceClient(stack.simulator_url, config.source_api_key(), dataset=TELEMETRY.name)

        def land_window():
            pages = client.iter_pages(TELEMETRY.path, {"since": SINCE.isoformat(), "until": UNTIL.isoformat(),
                                                       "limit": CURSOR_PAGE_SIZE})
            return land_batch(stack.warehouse_url, TELEMETRY, pages, SINCE, UNTIL, stack.simulator_url + TELEMETRY.path)

        # Warm like every DAG run after a deployment's first: GX imported, Data Docs' templates
        # compiled (kept under the state dir, taza.quality.data_docs_views), by a gate of the same
        # window landed once before; the batch timed is its next landing.
        warm_start = datetime.now(timezone.utc)
        validate_batches(stack.warehouse_url, TELEMETRY, [land_window().batch_id])
        build_data_docs(since=warm_start)
        gate_times, gx_times, sql_times = [], [], []
        for _ in range(ROUNDS):
            batch = land_window()
            with connect(stack.warehouse_url) as conn, conn.cursor() as cur:
                cur.execute(f"ANALYZE {TELEMETRY.raw_table}")

            run_start = datetime.now(timezone.utc)
            started = time.perf_counter()
            [verdict] = validate_batches(stack.warehouse_url, TELEMETRY, [batch.batch_id])
            build_data_docs(since=run_start)
            gate_times.append(time.perf_counter() - started)

            runner = SuiteRunner.open(stack.warehouse_url, load_suite_document(TELEMETRY.name))
            started = time.perf_counter()
            results = runner.validate(TELEMETRY.raw_table, batch.batch_id)
            gx_times.append(time.perf_counter() - started)

            with connect(stack.warehouse_url) as conn, conn.cursor() as cur:
                started = time.perf_counter()
                cur.execute(HAND_WRITTEN, (batch.batch_id,))
                counts = dict(zip([d.name for d in cur.description], cur.fetchone()))
                sql_times.append(time.perf_counter() - started)
        gate_s, gx_s, sql_s = (statistics.median(times) for times in (gate_times, gx_times, sql_times))
        print(f"telemetry batch {batch.batch_id}: {batch.loaded:,} rows ({SINCE:%Y-%m-%d} .. {UNTIL:%Y-%m-%d}); "
              f"medians of {ROUNDS} rounds, each on a new landing of the window")

        gx_failed = sum(1 for r in results if not r.success)
        sql_failed = sum(1 for k, v in counts.items() if k not in ("row_count", "not_ok_status") and v)
        print(f"GX: {len(results)} expectations, {gx_failed} failed (verdict {'passed' if verdict.passed else 'rejected'}, "
              f"{verdict.quarantined} rows quarantined); hand-written SQL: {sql_failed} checks with failures {counts}")
        print(f"gate (GX + quarantine + audit results + Data Docs): {gate_s:8.2f} s")
        print(f"GX validation alone:                               {gx_s:8.2f} s")
        print(f"hand-written SQL, one scan:                        {sql_s:8.2f} s")
        print(f"ratio gate / SQL: {gate_s / sql_s:.1f}x; GX alone / SQL: {gx_s / sql_s:.1f}x")
    return [Row(f"GX gate incl. quarantine, audit rows, Data Docs / the same checks as hand SQL "
                f"({batch.loaded:,} telemetry rows)", f"{gate_s:.2f} s", f"{sql_s:.2f} s", gate_s / sql_s, "<= 1.5")]


if __name__ == "__main__":
    emit(main())
