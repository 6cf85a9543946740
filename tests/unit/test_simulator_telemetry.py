"""The simulated AMS telemetry feed: volume, determinism, semantics, the watermark over HTTP
(the cursor walk and the rest of the HTTP contract are in test_simulator_contract)."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
import requests

from taza.load.records import type_record
from taza.simulator import SimulatorConfig
from taza.simulator.industry.enterprises import enterprise_list, enterprise_records
from taza.simulator.industry.telemetry import telemetry_count, telemetry_readings, telemetry_sums
from taza.sources.industry import TELEMETRY

from simulator_checks import KEY, api_get

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 24)  # the feed runs to 2026-11-01T00:00Z
ENDPOINT = "/industry/v1/telemetry"
DAY = ("2025-03-10T00:00:00Z", "2025-03-11T00:00:00Z")


def config(**overrides) -> SimulatorConfig:
    return SimulatorConfig(**{"api_key": KEY, "today": TODAY, "scale": 0.05, **overrides})


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


# --- volume and shape -----------------------------------------------------------------------


def test_scale_1_serves_at_least_ten_million_readings_from_2023_to_october_2026():
    cfg = config(scale=1.0)
    assert telemetry_count(cfg, "2022-12-31T23:59:59Z", "2026-11-01T00:00:00Z") >= 10_000_000
    assert telemetry_count(cfg, "2022-12-31T23:59:59Z") == telemetry_count(cfg, "2022-12-31T23:59:59Z",
                                                                            "2026-11-01T00:00:00Z")


def test_scale_multiplies_stacks():
    one = telemetry_count(config(scale=1.0), *DAY)
    assert telemetry_count(config(scale=2.0), *DAY) == pytest.approx(2 * one, rel=0.05)
    stacks = {r["stack_id"] for r in telemetry_readings(config(scale=0.01), *DAY)}
    assert len(stacks) == len({s.split("-")[0] for s in stacks})  # one stack per enterprise at least


@pytest.mark.parametrize(("since", "until"), [
    DAY,
    ("2025-03-10T00:10:00+00:00", "2025-03-10T05:00:00.5+00:00"),  # partial slots at both ends
    ("2025-03-10T05:00:00+05:00", "2025-03-10T06:00:00+05:00"),  # offsets other than UTC
    ("2020-01-01T00:00:00Z", "2023-01-20T00:00:00Z"),  # before and at the first connections
])
def test_count_is_the_number_of_readings(since, until):
    cfg = config()
    readings = telemetry_readings(cfg, since, until)
    assert telemetry_count(cfg, since, until) == len(readings)
    if readings:
        assert at(since) < at(readings[0]["reading_at"]) and at(readings[-1]["reading_at"]) < at(until)


def test_readings_are_ordered_unique_and_fit_the_loader_schema():
    readings = telemetry_readings(config(), *DAY)
    order = [(r["reading_at"], r["stack_id"], r["pollutant"]) for r in readings]
    assert order == sorted(order) and len(set(order)) == len(order)
    assert len({r["reading_id"] for r in readings}) == len(readings)
    for r in readings:
        assert tuple(r) == TELEMETRY.column_names
        type_record(TELEMETRY, r)
        assert r["reading_id"] == f'{r["stack_id"]}:{r["pollutant"]}:{int(at(r["reading_at"]).timestamp())}'
        assert r["stack_id"].startswith(r["bin"] + "-S")
        assert 0 <= r["value_mg_m3"] <= 100_000 and r["limit_mg_m3"] > 0 and r["flow_m3_h"] > 0
        assert at(r["reading_at"]).minute % 20 == 0 and at(r["reading_at"]).second == 0


def test_every_connected_stack_reports_every_pollutant_every_20_minutes():
    cfg = config()
    readings = telemetry_readings(cfg, "2025-03-09T23:59:59Z", "2025-03-11T00:00:00Z")  # since is exclusive
    series = Counter((r["stack_id"], r["pollutant"]) for r in readings)
    assert set(series.values()) == {72}
    assert {p for _, p in series} == {"co", "nox", "pm", "so2"}
    connected = {r["bin"] for r in enterprise_records(cfg) if (r["ams_connected_at"] or "9999") <= "2025-03-10"}
    assert {r["bin"] for r in readings} == connected


def test_the_feed_starts_on_each_enterprise_connection_day():
    cfg = config()
    for e in enterprise_list(cfg.seed, cfg.scale):
        if e.connected_at is None:
            continue
        day = datetime.combine(e.connected_at, datetime.min.time(), timezone.utc)
        before = telemetry_readings(cfg, (day - timedelta(hours=1)).isoformat(), day.isoformat())
        assert e.bin not in {r["bin"] for r in before}
        first = telemetry_readings(cfg, (day - timedelta(seconds=1)).isoformat(),
                                   (day + timedelta(minutes=20)).isoformat())
        assert {r["reading_at"] for r in first if r["bin"] == e.bin} == {day.strftime("%Y-%m-%dT%H:%M:%SZ")}


def test_statuses_and_exceedances_are_a_small_share():
    readings = telemetry_readings(config(), "2025-01-01T00:00:00Z", "2025-01-15T00:00:00Z")
    status = Counter(r["status"] for r in readings)
    assert 0.004 < status["maintenance"] / len(readings) < 0.008  # one hour a week per stack
    assert 0 < status["fault"] / len(readings) < 0.003
    assert all(r["value_mg_m3"] == 0 for r in readings if r["status"] == "maintenance")
    exceedances = sum(r["value_mg_m3"] > r["limit_mg_m3"] for r in readings if r["status"] == "ok")
    assert 0.001 < exceedances / len(readings) < 0.02


def test_heating_season_runs_higher_than_summer():
    def mean_so2(since: str, until: str) -> float:
        cfg = config()
        return telemetry_sums(cfg, since, until)["so2"] / (telemetry_count(cfg, since, until) / 4)

    assert mean_so2("2025-01-10T00:00:00Z", "2025-01-12T00:00:00Z") > 1.1 * mean_so2("2025-07-10T00:00:00Z",
                                                                                      "2025-07-12T00:00:00Z")


def test_sums_are_the_sums_of_the_readings():
    cfg = config()
    readings = telemetry_readings(cfg, *DAY)
    cents = Counter()
    for r in readings:
        cents[r["pollutant"]] += round(r["value_mg_m3"] * 100)
    assert telemetry_sums(cfg, *DAY) == {p: c / 100 for p, c in cents.items()}


def test_same_config_gives_identical_readings_in_a_fresh_process_and_seeds_differ():
    code = (
        "import hashlib, json, datetime;"
        "from taza.simulator import SimulatorConfig;"
        "from taza.simulator.industry.telemetry import telemetry_readings;"
        "c = SimulatorConfig(seed=5, scale=0.05, api_key='x', today=datetime.date(2026, 6, 2));"
        "r = telemetry_readings(c, '2025-05-01T00:00:00Z', '2025-05-01T06:00:00Z');"
        "print(hashlib.sha256(json.dumps(r, separators=(',', ':')).encode()).hexdigest())"
    )
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    window = ("2025-05-01T00:00:00Z", "2025-05-01T06:00:00Z")
    here = telemetry_readings(SimulatorConfig(seed=5, scale=0.05, api_key=KEY, today=date(2026, 6, 2)), *window)
    assert fresh == hashlib.sha256(json.dumps(here, separators=(",", ":")).encode()).hexdigest()
    assert telemetry_readings(config(seed=6), *window) != telemetry_readings(config(seed=5), *window)


def test_nothing_after_the_last_complete_month():
    cfg = config()
    assert telemetry_count(cfg, "2026-10-31T23:00:00Z", "2027-01-01T00:00:00Z") == telemetry_count(
        cfg, "2026-10-31T23:00:00Z", "2026-11-01T00:00:00Z") > 0
    assert telemetry_count(cfg, "2026-11-01T00:00:00Z") == 0


# --- HTTP -----------------------------------------------------------------------------------

HTTP_CONFIG = config(seed=3)


def get(simulator, params: dict | None = None, key: str | None = KEY) -> requests.Response:
    return api_get(simulator, ENDPOINT, params, key)


def test_since_is_an_exclusive_watermark(simulator):
    first = get(simulator, {"since": "2025-03-10T00:00:00Z", "limit": 1000}).json()["data"]
    watermark = first[-1]["reading_at"]
    after = get(simulator, {"since": watermark, "until": "2025-03-11T00:00:00Z", "limit": 1000}).json()["data"]
    assert after[0]["reading_at"] > watermark
    assert after == telemetry_readings(HTTP_CONFIG, watermark, "2025-03-11T00:00:00Z")[:1000]


def test_until_defaults_to_the_end_of_the_last_complete_month(simulator):
    body = get(simulator, {"since": "2026-10-31T23:00:00Z", "limit": 20000}).json()
    assert body["until"] == "2026-11-01T00:00:00Z"
    assert body["next_cursor"] is None
    assert len(body["data"]) == telemetry_count(HTTP_CONFIG, "2026-10-31T23:00:00Z") > 0
    capped = get(simulator, {"since": "2026-10-31T23:00:00Z", "until": "2030-01-01T00:00:00Z"}).json()
    assert capped["until"] == "2026-11-01T00:00:00Z" and capped["data"] == body["data"][:5000]
    empty = get(simulator, {"since": "2026-11-05T00:00:00Z"}).json()
    assert (empty["data"], empty["next_cursor"]) == ([], None)


def test_default_and_maximum_page_size(simulator):
    body = get(simulator, {"since": "2025-03-10T00:00:00Z"}).json()
    assert body["limit"] == 5000 and len(body["data"]) == 5000 and body["next_cursor"]
    body = get(simulator, {"since": "2025-03-10T00:00:00Z", "limit": 20000}).json()
    assert len(body["data"]) == 20000
