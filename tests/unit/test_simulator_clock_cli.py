"""`taza sources start --today` runs the background simulator on that date, as `serve` does."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

pytestmark = pytest.mark.unit

KEY = "clock-test-key"


def taza(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "taza.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_start_serves_the_history_as_it_stood_on_the_given_date(tmp_path):
    env = {**os.environ, "TAZA_STATE_DIR": str(tmp_path), "TAZA_SOURCE_API_KEY": KEY}
    started = taza("sources", "start", "--today", "2024-07-15", "--scale", "0.05", env=env)
    assert started.returncode == 0, started.stderr
    try:
        assert "today 2024-07-15" in started.stdout
        url = started.stdout.split(" at ")[1].split(",")[0].strip()

        def detections(month: str) -> list[dict]:
            response = requests.get(f"{url}/regional/v1/dump-detections", headers={"X-API-Key": KEY}, timeout=30,
                                    params={"period_from": month, "period_to": month, "page_size": 5000})
            response.raise_for_status()
            return response.json()["data"]

        june = detections("2024-06")
        assert june and {d["status"] for d in june} == {"open", "eliminated"}, "June's dumps as of mid-July"
        assert all(d["eliminated_at"] is None or d["eliminated_at"] < "2024-07-15" for d in june)
        assert detections("2024-07") == [], "July is not complete on 15 July"
    finally:
        stopped = taza("sources", "stop", env=env)
    assert stopped.stdout.strip() == "source simulator stopped"


def test_a_malformed_date_is_refused_with_the_expected_form(tmp_path):
    done = taza("sources", "start", "--today", "15.07.2024", env={**os.environ, "TAZA_STATE_DIR": str(tmp_path)})
    assert done.returncode == 2 and "expected a date YYYY-MM-DD" in done.stderr
