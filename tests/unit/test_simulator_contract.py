"""The HTTP contract every simulated dataset keeps, run over the registry: the API key,
paging (or the cursor walk), the dataset's filters, 400 on bad parameters, determinism;
and the server's own answers (health, unknown paths and methods, start and stop).

What a family's data must hold (totals, calibration, cut-offs) is in its own tests."""
from __future__ import annotations

import math
from datetime import date, datetime, timezone

import pytest
import requests

from taza.load.records import type_record
from taza.simulator import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.registry import DATASETS
from taza.simulator.server import ROUTES, start_in_thread
from taza.sources.catalogue import DATASETS as CATALOGUE

from simulator_checks import KEY, api_get, digests_here, digests_in_a_fresh_process

pytestmark = pytest.mark.unit

HTTP_CONFIG = SimulatorConfig(seed=3, scale=0.05, api_key=KEY, today=date(2026, 11, 24))  # months to 2026-10

# Per request style: the widest request, one that selects part of the data, one that selects nothing.
WHOLE = {
    "monthly": {"period_from": "2021-01", "period_to": "2026-12"},
    "annual": {"year_from": "2000", "year_to": "2030"},
    "snapshot": {},
    "watermark": {"since": "2025-03-10T00:00:00Z", "until": "2025-03-10T09:00:00Z"},
}
PART = {"monthly": ("period", "2024-04", "2024-05"), "annual": ("year", 2023, 2024)}
NOTHING = {"monthly": {"period_from": "2030-01", "period_to": "2030-12"},
           "annual": {"year_from": "2030", "year_to": "2031"}}

BAD_PARAMETERS = {
    "monthly": [
        ({"period_to": "2021-12"}, "period_from"),
        ({"period_from": "2021-01"}, "period_to"),
        ({"period_from": "2021-13", "period_to": "2021-12"}, "period_from"),
        ({"period_from": "2021-1", "period_to": "2021-12"}, "period_from"),
        ({"period_from": "2021-01", "period_to": "December"}, "period_to"),
        ({"period_from": "2022-01", "period_to": "2021-12"}, "period_from"),
        ({"period_from": "2021-01", "period_to": "2021-12", "page": "0"}, "page"),
        ({"period_from": "2021-01", "period_to": "2021-12", "page": "two"}, "page"),
        ({"period_from": "2021-01", "period_to": "2021-12", "page": "999"}, "page"),
        ({"period_from": "2021-01", "period_to": "2021-12", "page_size": "0"}, "page_size"),
        ({"period_from": "2021-01", "period_to": "2021-12", "page_size": "5001"}, "page_size"),
        ({"period_from": "2021-01", "period_to": "2021-12", "page_size": "-5"}, "page_size"),
        ({"period_from": ["2021-01", "2021-02"], "period_to": "2021-12"}, "period_from"),
    ],
    "annual": [
        ({"year_to": "2024"}, "year_from"),
        ({"year_from": "2024"}, "year_to"),
        ({"year_from": "24", "year_to": "2024"}, "year_from"),
        ({"year_from": "2024-01", "year_to": "2024"}, "year_from"),
        ({"year_from": "2024", "year_to": "2024-12"}, "year_to"),
        ({"year_from": "2022", "year_to": "twenty"}, "year_to"),
        ({"year_from": "2025", "year_to": "2024"}, "year_from"),
        ({"year_from": "2021", "year_to": "2025", "page": "0"}, "page"),
        ({"year_from": "2021", "year_to": "2025", "page": "999"}, "page"),
        ({"year_from": "2021", "year_to": "2025", "page_size": "0"}, "page_size"),
        ({"year_from": "2021", "year_to": "2025", "page_size": "5001"}, "page_size"),
    ],
    "snapshot": [
        ({"page_size": "5001"}, "page_size"),
        ({"page_size": "x"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page_size": "5000", "page": "99"}, "page"),
    ],
    "watermark": [
        ({}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2025-03-10T00:00:00"}, "since"),  # no offset
        ({"since": "2025-03-10T00:00:00Z", "until": "2025-13-01T00:00:00Z"}, "until"),
        ({"since": "2025-03-10T00:00:00Z", "until": "2025-03-10T00:00:00Z"}, "until"),
        ({"since": "2025-03-10T00:00:00Z", "limit": "0"}, "limit"),
        ({"since": "2025-03-10T00:00:00Z", "limit": "20001"}, "limit"),
        ({"since": "2025-03-10T00:00:00Z", "limit": "many"}, "limit"),
        ({"since": "2025-03-10T00:00:00Z", "cursor": "not a cursor"}, "cursor"),
        ({"since": "2025-03-10T00:00:00Z", "cursor": "MTIzLjQ"}, "cursor"),  # '123.4': outside the window
        ({"since": ["2025-03-10T00:00:00Z", "2025-03-11T00:00:00Z"]}, "since"),
    ],
}


def by_name(datasets) -> list:
    return [pytest.param(d, id=d.name) for d in datasets]


PAGED = by_name(d for d in DATASETS if d.request != "watermark")
FILTERED = by_name(d for d in DATASETS if d.request in PART)
FEEDS = by_name(d for d in DATASETS if d.request == "watermark")
BAD = [pytest.param(d, params, named, id=f"{d.name}-{i}")
       for d in DATASETS for i, (params, named) in enumerate(BAD_PARAMETERS[d.request])]


def expected_records(dataset: SimulatedDataset) -> list[dict]:
    if dataset.request == "watermark":
        window = WHOLE["watermark"]
        return list(dataset.generate(HTTP_CONFIG, window["since"], window["until"]))
    return list(dataset.generate(HTTP_CONFIG))


def key_of(dataset: SimulatedDataset, record: dict) -> object:
    value = record[dataset.filter_field]
    return value[:7] if dataset.request == "monthly" else value


# --- the records: what the loader takes, the same in any process ----------------------

RECORDS_CONFIG = SimulatorConfig(seed=11, scale=0.3, api_key=KEY, today=date(2026, 11, 24))


def catalogued(dataset: SimulatedDataset):
    """The catalogue's dataset served at the simulated dataset's path."""
    return next(c for c in CATALOGUE.values() if c.path == dataset.path)


@pytest.mark.parametrize("dataset", PAGED)
def test_every_record_fits_the_loader_schema(dataset):
    """Columns in the catalogue's order, each value typed as the loader types it (dates within
    the plausible window of a landing on the simulated today), natural keys unique."""
    target = catalogued(dataset)
    landed_at = datetime.combine(RECORDS_CONFIG.today, datetime.min.time(), timezone.utc)
    records = dataset.generate(RECORDS_CONFIG)
    assert records
    for record in records:
        assert tuple(record) == target.column_names
        type_record(target, record, landed_at)
    keys = [tuple(record[k] for k in target.natural_key) for record in records]
    assert len(set(keys)) == len(keys)


def test_same_config_gives_identical_records_in_a_fresh_process():
    """Another interpreter (another hash seed, nothing cached) generates the same records."""
    generators = [dataset.generate for dataset in DATASETS if dataset.request != "watermark"]
    assert digests_in_a_fresh_process(generators) == digests_here(generators)


# --- the registry -------------------------------------------------------------------


def test_the_server_serves_exactly_the_registry():
    assert set(ROUTES) == {d.path for d in DATASETS}
    assert len({d.path for d in DATASETS}) == len({d.name for d in DATASETS}) == len(DATASETS)


def test_every_catalogue_dataset_is_simulated_with_its_path_and_request_style():
    simulated = {(d.name, d.path, d.request) for d in DATASETS}
    assert {(d.entity, d.path, d.request) for d in CATALOGUE.values()} <= simulated


def test_a_dataset_declaration_is_checked():
    generate = list
    with pytest.raises(ValueError, match="request"):
        SimulatedDataset(name="x", path="/x", request="weekly", generate=generate)
    with pytest.raises(ValueError, match="filter_field"):
        SimulatedDataset(name="x", path="/x", request="monthly", generate=generate)
    with pytest.raises(ValueError, match="serve"):
        SimulatedDataset(name="x", path="/x", request="watermark", generate=generate)


# --- every dataset ------------------------------------------------------------------


@pytest.mark.parametrize("dataset", by_name(DATASETS))
@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_data_needs_the_key(simulator, dataset, key):
    response = api_get(simulator, dataset.path, WHOLE[dataset.request], key=key)
    assert response.status_code == 401
    assert response.json() == {"error": "missing or invalid X-API-Key"}


@pytest.mark.parametrize("dataset", PAGED)
def test_paging_returns_every_record_once(simulator, dataset):
    expected = expected_records(dataset)
    assert expected, "the test config serves some records"
    page_size = min(len(expected) // 3 + 1, 5000)  # at least three pages (or one record a page)
    received, bodies, page = [], [], 1
    while page is not None:
        response = api_get(simulator, dataset.path, {**WHOLE[dataset.request], "page": page, "page_size": page_size})
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"] == "application/json"
        assert b", " not in response.content and b'": ' not in response.content  # compact JSON
        body = response.json()
        bodies.append(body)
        received.extend(body["data"])
        page = body["next_page"]
    assert received == expected
    first = bodies[0]
    echo = [*WHOLE[dataset.request], *(dataset.echo(HTTP_CONFIG) if dataset.echo else ())]
    assert list(first) == ["dataset", *echo, "page", "page_size", "total_records", "total_pages", "next_page", "data"]
    assert first["dataset"] == dataset.name
    assert first["total_records"] == len(expected)
    assert first["total_pages"] == len(bodies) == math.ceil(len(expected) / page_size)
    assert [b["page"] for b in bodies] == list(range(1, len(bodies) + 1))
    assert {b["page_size"] for b in bodies} == {page_size}


@pytest.mark.parametrize("dataset", PAGED)
def test_defaults_are_page_1_of_500(simulator, dataset):
    body = api_get(simulator, dataset.path, WHOLE[dataset.request]).json()
    assert (body["page"], body["page_size"]) == (1, 500)
    assert body["data"] == expected_records(dataset)[:500]


@pytest.mark.parametrize("dataset", FILTERED)
def test_filters_are_inclusive(simulator, dataset):
    prefix, first, last = PART[dataset.request]
    params = {f"{prefix}_from": str(first), f"{prefix}_to": str(last), "page_size": 5000}
    body = api_get(simulator, dataset.path, params).json()
    expected = [r for r in expected_records(dataset) if first <= key_of(dataset, r) <= last]
    assert expected and body["data"] == expected[:5000]
    assert body["total_records"] == len(expected)
    assert (body[f"{prefix}_from"], body[f"{prefix}_to"]) == (first, last)
    assert {key_of(dataset, r) for r in expected} == {first, last}  # both bounds are served
    empty = api_get(simulator, dataset.path, NOTHING[dataset.request]).json()
    assert (empty["total_records"], empty["total_pages"], empty["next_page"], empty["data"]) == (0, 0, None, [])


@pytest.mark.parametrize("dataset", FEEDS)
@pytest.mark.parametrize("limit", [997, 5000])
def test_cursor_pages_concatenate_to_exactly_the_records(simulator, dataset, limit):
    window = WHOLE["watermark"]
    expected = expected_records(dataset)
    params, received, bodies = {**window, "limit": limit}, [], []
    while True:
        response = api_get(simulator, dataset.path, params)
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"] == "application/json"
        body = response.json()
        bodies.append(body)
        received.extend(body["data"])
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
    assert received == expected  # no gap, no duplicate, same order
    assert len(bodies) == -(-len(expected) // limit)
    assert all(len(b["data"]) == limit for b in bodies[:-1]) and 0 < len(bodies[-1]["data"]) <= limit
    assert list(bodies[0]) == ["dataset", "since", "until", "limit", "data", "next_cursor"]
    assert (bodies[0]["dataset"], bodies[0]["since"], bodies[0]["until"], bodies[0]["limit"]) == (
        dataset.name, window["since"], window["until"], limit)


@pytest.mark.parametrize(("dataset", "params", "named"), BAD)
def test_bad_parameters_are_400_naming_the_parameter(simulator, dataset, params, named):
    response = api_get(simulator, dataset.path, params)
    assert response.status_code == 400
    assert named in response.json()["error"]


@pytest.mark.parametrize("dataset", by_name(DATASETS))
def test_the_same_request_gives_the_same_bytes(simulator, dataset):
    params = {**WHOLE[dataset.request], **({"page": 2, "page_size": 7} if dataset.request != "watermark" else {})}
    first, second = (api_get(simulator, dataset.path, params) for _ in range(2))
    assert first.status_code == 200 and first.content == second.content


# --- the server -----------------------------------------------------------------------


def test_health_needs_no_key(simulator):
    response = api_get(simulator, "/health", key=None)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_path_and_method(simulator):
    assert api_get(simulator, "/regional/v1/nothing").status_code == 404
    response = requests.post(simulator.url + DATASETS[0].path, headers={"X-API-Key": KEY}, timeout=10)
    assert response.status_code == 405
    assert "error" in response.json()


def test_stop_frees_the_port():
    with start_in_thread(HTTP_CONFIG) as running:
        url = running.url
        assert requests.get(url + "/health", timeout=10).ok
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/health", timeout=10)


def test_unknown_faults_are_refused():
    with pytest.raises(ValueError, match="no-such-fault"):
        start_in_thread(HTTP_CONFIG, faults={"no-such-fault"})
