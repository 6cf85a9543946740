"""A loader to kill: lands one page of telemetry for a day, then waits for a second page that
never comes. test_landing_safety runs it in a subprocess and interrupts or kills it mid-landing.

Usage: python slow_landing.py WAREHOUSE_URL YYYY-MM-DD
"""
from __future__ import annotations

import json
import signal
import sys
import time
from datetime import datetime, timedelta, timezone

from taza.load.raw import land_batch
from taza.sources.http import Page
from taza.sources.industry import TELEMETRY


def pages(day: datetime):
    records = [{"reading_id": f"000000000001-S01:pm:{n}", "bin": "000000000001", "stack_id": "000000000001-S01",
                "pollutant": "pm", "reading_at": (day + timedelta(minutes=20 * n)).isoformat(),
                "value_mg_m3": 10 + n, "limit_mg_m3": 50, "flow_m3_h": 1000, "status": "ok"} for n in range(3)]
    yield Page(url="http://test/slow?cursor=1", body=json.dumps(records).encode(), records=records, number=1)
    print("first page sent", flush=True)
    time.sleep(3600)  # the second page never comes: the test stops this process first


if __name__ == "__main__":
    # Python leaves SIGINT ignored when it starts ignored (a background job of a shell without
    # job control): an Airflow task's process has the default handler, so this one must too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    url, day_text = sys.argv[1:3]
    start = datetime.strptime(day_text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    land_batch(url, TELEMETRY, pages(start), start, start + timedelta(days=1), source_url="http://test/slow")
