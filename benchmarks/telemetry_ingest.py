"""Benchmark: pulling the AMS telemetry feed over HTTP into raw, against plain COPY of the same rows.

For two window sizes, the ingestion (simulator over HTTP -> JSON -> typed rows ->
COPY into raw.industry__telemetry, with provenance and quarantine checks) runs in a
child process, so its peak memory is its own and the simulator, serving from this
process, does not share its interpreter (a real source is another machine); then the
very rows it landed are exported to a local file and COPYed into an empty table of the
same shape, which is the baseline. Each of REPEATS runs measures both and gives one ratio;
the minimum and the median ratio are reported per size. Prints rows/s of both, the
ratios, and peak memory per size.
"""
from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from results import Row, emit
from stack import local_stack

START = datetime(2025, 3, 1, tzinfo=timezone.utc)
SIZES_DAYS = (4, 32)
REPEATS = 5


def child(warehouse_url: str, simulator_url: str, api_key: str, since: str, until: str) -> None:
    """The measured ingestion, in its own process."""
    from taza.load.raw import land_batch
    from taza.pipeline.ingest import CURSOR_PAGE_SIZE
    from taza.sources.http import SourceClient
    from taza.sources.industry import TELEMETRY

    client = SourceClient(simulator_url, api_key, dataset=TELEMETRY.name)
    started = time.perf_counter()
    pages = client.iter_pages(TELEMETRY.path, {"since": since, "until": until, "limit": CURSOR_PAGE_SIZE})
    result = land_batch(warehouse_url, TELEMETRY, pages, datetime.fromisoformat(since),
                        datetime.fromisoformat(until), simulator_url + TELEMETRY.path)
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": result.loaded, "received": result.received, "seconds": seconds,
                      "batch_id": result.batch_id,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def copy_baseline(warehouse_url: str, batch_id: str) -> tuple[int, float]:
    """COPY the batch's rows from a local file into an empty twin of the raw table."""
    from taza.warehouse.connection import connect

    with tempfile.NamedTemporaryFile("w+b", suffix=".copy") as rows_file, connect(warehouse_url) as conn:
        with conn.cursor() as cur:
            cur.copy_expert(f"COPY (SELECT * FROM raw.industry__telemetry WHERE _batch_id = '{batch_id}') TO STDOUT",
                            rows_file)
            rows_file.flush()
            cur.execute("DROP TABLE IF EXISTS public.telemetry_copy_baseline;"
                        "CREATE TABLE public.telemetry_copy_baseline (LIKE raw.industry__telemetry INCLUDING ALL)")
        conn.commit()
        rows_file.seek(0)
        with conn.cursor() as cur:
            started = time.perf_counter()
            cur.copy_expert("COPY public.telemetry_copy_baseline FROM STDIN", rows_file)
            conn.commit()
            seconds = time.perf_counter() - started
            cur.execute("SELECT count(*) FROM public.telemetry_copy_baseline")
            return cur.fetchone()[0], seconds


def main() -> list[Row]:
    from taza import config

    rows = []
    with local_stack(airflow=False) as stack:
        print(f"{'window':>8}{'rows':>12}{'ingest rows/s':>16}{'COPY rows/s':>14}{'min ratio':>11}{'median':>8}"
              f"{'ingest peak RSS':>18}")
        for days in SIZES_DAYS:
            since, until = START.isoformat(), (START + timedelta(days=days)).isoformat()
            ingest_rates, ratios, peak_rss_mb = [], [], 0.0
            for _ in range(REPEATS):
                out = subprocess.run([sys.executable, __file__, "--child", stack.warehouse_url, stack.simulator_url,
                                      config.source_api_key(), since, until], capture_output=True, text=True)
                if out.returncode != 0:
                    sys.exit(out.stderr[-3000:])
                measured = json.loads(out.stdout.strip().splitlines()[-1])
                copied, copy_seconds = copy_baseline(stack.warehouse_url, measured["batch_id"])
                assert copied == measured["rows"] == measured["received"], "every reading received is loaded"
                ingest_rates.append(measured["rows"] / measured["seconds"])
                ratios.append(ingest_rates[-1] / (copied / copy_seconds))
                peak_rss_mb = max(peak_rss_mb, measured["peak_rss_mb"])
            ingest_rate = statistics.median(ingest_rates)
            copy_rate = ingest_rate / statistics.median(ratios)
            print(f"{days:>6} d{measured['rows']:>12,}{ingest_rate:>16,.0f}{copy_rate:>14,.0f}"
                  f"{min(ratios):>11.2f}{statistics.median(ratios):>8.2f}{peak_rss_mb:>15.0f} MB", flush=True)
            what = f"telemetry ingestion over HTTP / raw COPY of the same rows, {days}-day window ({measured['rows']:,} rows)"
            measured_rate, baseline_rate = f"{ingest_rate:,.0f} rows/s", f"{copy_rate:,.0f} rows/s"
            rows += [Row(what + f", median of {REPEATS}", measured_rate, baseline_rate, statistics.median(ratios),
                         ">= 0.8"),
                     Row(what + f", min of {REPEATS}", measured_rate, baseline_rate, min(ratios), ">= 0.7")]
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:7])
    else:
        sys.path.insert(0, str(Path(__file__).parent))
        emit(main())
