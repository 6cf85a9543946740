"""Switchable simulator faults, observed over a real socket, and the client's recovery."""
from __future__ import annotations

import json
import time
from datetime import date

import pytest
import requests

import taza.simulator
from taza.simulator.faults.mutations import apply_data_faults, expected_effects, mutate_page, paginate
from taza.simulator.faults.spec import FaultSpec, check_faults, parse_fault
from taza.simulator.faults.transport import APPLIED_HEADER, FaultInjector, raw_bytes
from taza.simulator.regional.planting_reports import planting_reports
from taza.simulator.routing import ApiRequest
from taza.simulator.server import start_in_thread
from taza.sources.http import SourceClient, SourceError

pytestmark = pytest.mark.unit

KEY = "k"
CONFIG = taza.simulator.SimulatorConfig(seed=1, scale=0.05, api_key=KEY, today=date(2026, 11, 24))
ENDPOINT = "/regional/v1/planting-reports"
MONTH = "2026-04"  # 60 reports at this scale: pages of 25, 25 and 10
PAGE_SIZE = 25
PARAMS = {"period_from": MONTH, "period_to": MONTH, "page_size": str(PAGE_SIZE)}


@pytest.fixture(scope="module")
def month_records() -> list[dict]:
    records = [r for r in planting_reports(CONFIG) if r["period"] == MONTH]
    assert len(records) == 60
    return records


@pytest.fixture
def serve():
    running = []

    def start(*faults):
        running.append(start_in_thread(CONFIG, faults=faults))
        return running[-1]

    yield start
    for simulator in running:
        simulator.stop()


def get(simulator, page=1, headers=None, **extra) -> requests.Response:
    params = {**PARAMS, "page": str(page), **extra}
    return requests.get(simulator.url + ENDPOINT, params=params, timeout=10,
                        headers={"X-API-Key": KEY, **(headers or {})})


def client(simulator, sleeps: list, **overrides) -> SourceClient:
    return SourceClient(simulator.url, KEY, dataset="regional__planting_reports", sleep=sleeps.append,
                        **overrides)


def walk(simulator, sleeps: list, **overrides) -> list[list[dict]]:
    pages = client(simulator, sleeps, **overrides).iter_pages(ENDPOINT, PARAMS)
    return [page.records for page in pages]


# --- the spec grammar -------------------------------------------------------------------


def test_spec_grammar_round_trips():
    spec = parse_fault("rate_limit@2:3:retry_after=0")
    assert spec == FaultSpec("rate_limit", page=2, count=3, options=(("retry_after", 0.0),))
    assert str(spec) == "rate_limit@2:3:retry_after=0"
    assert parse_fault("slow:delay=0.25").option("delay") == 0.25
    assert parse_fault("server_error").count is None  # permanent
    assert parse_fault("renamed_field:field=trees_planted:as=trees").option("as") == "trees"
    assert [str(s) for s in check_faults(["server_error:2", "server_error:2", "truncated"])] == [
        "server_error:2", "truncated"]


@pytest.mark.parametrize(("spec", "complaint"), [
    ("no-such-fault", "unknown simulator faults"),
    ("flood", "unknown simulator faults: flood"),
    ("duplicates:2", "count only applies"),
    ("server_error:0", "count >= 1"),
    ("truncated@0", "pages count from 1"),
    ("rate_limit:retry_after=soon", "retry_after must be a number"),
    ("slow:speed=3", "unknown option 'speed'"),
    ("server_error:status=404", "out of range"),
])
def test_bad_specs_are_refused_at_start(spec, complaint):
    with pytest.raises(ValueError, match=complaint):
        start_in_thread(CONFIG, faults=[spec])


def test_a_bad_per_request_spec_is_a_400(serve):
    response = get(serve(), headers={"X-Simulator-Fault": "flood"})
    assert response.status_code == 400
    assert "flood" in response.json()["error"]


# --- transport faults over the socket ---------------------------------------------------


def test_without_faults_the_answer_is_untouched(serve):
    plain = get(serve())
    assert plain.status_code == 200 and APPLIED_HEADER not in plain.headers
    # a data fault aimed at another page leaves page 1 byte-identical
    assert get(serve("missing_field@2")).content == plain.content


def test_server_error_is_a_503_with_a_json_error(serve):
    response = get(serve("server_error"))
    assert response.status_code == 503
    assert "server_error" in response.json()["error"]
    assert response.headers[APPLIED_HEADER] == "server_error"


def test_transient_server_error_fails_the_first_attempts_per_url(serve):
    simulator = serve("server_error:2")
    assert [get(simulator).status_code for _ in range(3)] == [503, 503, 200]
    assert get(simulator, page=2).status_code == 503  # another URL counts on its own
    # the fault parameter is not part of the URL that is counted
    assert get(simulator, page=2, fault="bad_values").status_code == 503
    assert get(simulator, page=2).status_code == 200
    simulator.restart_fault_counts()
    assert get(simulator).status_code == 503


@pytest.mark.parametrize("seconds", [0, 1])
def test_rate_limit_is_a_429_with_retry_after(serve, seconds):
    response = get(serve(f"rate_limit:retry_after={seconds}"))
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(seconds)
    assert "error" in response.json()


def test_rate_limit_defaults_to_one_second(serve):
    assert get(serve("rate_limit")).headers["Retry-After"] == "1"


def test_slow_delays_the_answer(serve):
    simulator = serve("slow:1:delay=0.6")
    started = time.monotonic()
    slow = get(simulator)
    assert time.monotonic() - started >= 0.6
    started = time.monotonic()
    fast = get(simulator)
    assert time.monotonic() - started < 0.6
    assert slow.status_code == fast.status_code == 200 and slow.content == fast.content


def test_truncated_sends_half_the_body_with_a_matching_content_length(serve):
    whole = get(serve()).content
    response = get(serve("truncated"))
    assert response.status_code == 200
    assert response.content == whole[: len(whole) // 2]
    assert int(response.headers["Content-Length"]) == len(response.content)
    with pytest.raises(ValueError):
        json.loads(response.content)


def test_a_fault_can_be_aimed_at_one_page(serve):
    simulator = serve("truncated@2")
    assert get(simulator, page=1).json()["page"] == 1
    with pytest.raises(ValueError):
        get(simulator, page=2).json()
    assert get(simulator, page=3).json()["page"] == 3


# --- switching per request --------------------------------------------------------------


def test_per_request_header_switches_faults(serve):
    simulator = serve()
    response = get(simulator, headers={"X-Simulator-Fault": "rate_limit:retry_after=0, server_error"})
    assert response.status_code in (429, 503)
    assert get(simulator, headers={"X-Simulator-Fault": "server_error"}).status_code == 503
    assert get(simulator).status_code == 200  # only that request


def test_per_request_query_parameter_keeps_paging_working(serve, month_records):
    simulator = serve()
    assert get(simulator, fault="server_error").status_code == 503
    sleeps = []
    pages = client(simulator, sleeps).iter_pages(ENDPOINT, {**PARAMS, "fault": "unknown_region"})
    served = [page.records for page in pages]
    assert [len(p) for p in served] == [25, 25, 10]  # next_page still followed, fault kept on
    assert [r["region_kato"] for p in served for r in p].count("999999999") == 3 + 3 + 1
    assert sleeps == []


def test_run_faults_and_request_faults_add_up(serve):
    simulator = serve("missing_field")
    response = get(simulator, headers={"X-Simulator-Fault": "wrong_types"})
    assert response.headers[APPLIED_HEADER] == "missing_field, wrong_types"
    simulator.set_faults([])
    assert APPLIED_HEADER not in get(simulator).headers


# --- data faults over the socket --------------------------------------------------------


def served_pages(simulator, *faults) -> list[list[dict]]:
    headers = {"X-Simulator-Fault": ",".join(faults)} if faults else None
    bodies = [get(simulator, page=n, headers=headers).json() for n in (1, 2, 3)]
    assert all(body["total_records"] == 60 and body["total_pages"] == 3 for body in bodies)
    return [body["data"] for body in bodies]


def test_duplicates_repeat_the_previous_pages_tail(serve, month_records):
    pages = served_pages(serve(), "duplicates")
    assert pages[0] == month_records[:25]
    assert pages[1][:3] == month_records[22:25] and pages[1][3:] == month_records[28:50]
    assert pages[2][:3] == month_records[47:50] and pages[2][3:] == month_records[53:60]
    keys = [r["report_id"] for page in pages for r in page]
    assert len(keys) == 60 and len(set(keys)) == 54


def test_renamed_field_renames_the_first_numeric_field_everywhere(serve):
    for page in served_pages(serve(), "renamed_field"):
        assert all("trees_planted" not in r and isinstance(r["trees_planted_v2"], int) for r in page)
        assert list(page[0])[6] == "trees_planted_v2"  # key order kept
    page = served_pages(serve(), "renamed_field:as=trees")[0]
    assert all("trees" in r and "trees_planted" not in r for r in page)


def test_missing_field_drops_it_from_every_tenth_record(serve, month_records):
    pages = served_pages(serve(), "missing_field")
    missing = [(n, i) for n, page in enumerate(pages) for i, r in enumerate(page) if "trees_planted" not in r]
    assert missing == [(0, 0), (0, 10), (0, 20), (1, 0), (1, 10), (1, 20), (2, 0)]
    assert pages[0][1] == month_records[1]


def test_wrong_types_turns_numbers_into_strings(serve, month_records):
    page = served_pages(serve(), "wrong_types")[0]
    assert [i for i, r in enumerate(page) if isinstance(r["trees_planted"], str)] == [1, 11, 21]
    assert page[1]["trees_planted"] == str(month_records[1]["trees_planted"])


def test_bad_values_are_negative_then_absurd(serve, month_records):
    page = served_pages(serve(), "bad_values")[0]
    original = [r["trees_planted"] for r in month_records[:25]]
    assert page[2]["trees_planted"] == -original[2]
    assert page[12]["trees_planted"] == original[12] * 1_000_000
    assert page[22]["trees_planted"] == -original[22]
    untouched = [i for i in range(25) if i not in (2, 12, 22)]
    assert all(page[i]["trees_planted"] == original[i] for i in untouched)


def test_unknown_region(serve):
    page = served_pages(serve(), "unknown_region")[0]
    assert [i for i, r in enumerate(page) if r["region_kato"] == "999999999"] == [3, 13, 23]


def test_data_faults_are_deterministic_and_match_the_prediction(serve, month_records):
    faults = ["duplicates", "missing_field", "wrong_types", "bad_values", "unknown_region"]
    first = [get(serve(*faults), page=n).content for n in (1, 2, 3)]
    again = [get(serve(*faults), page=n).content for n in (1, 2, 3)]
    assert first == again
    predicted, effects = apply_data_faults(paginate(month_records, PAGE_SIZE), faults)
    assert [json.loads(body)["data"] for body in first] == predicted
    counts = {kind: sum(e.kind == kind for e in effects) for kind in faults}
    assert counts == {"duplicates": 6, "missing_field": 7, "wrong_types": 7, "bad_values": 7, "unknown_region": 7}


def test_expected_effects_describe_each_change(month_records):
    effects = expected_effects(paginate(month_records, PAGE_SIZE), ["missing_field@2", "renamed_field@3"])
    dropped = [(e.page, e.index, e.field) for e in effects if e.kind == "missing_field"]
    assert dropped == [(2, 0, "trees_planted"), (2, 10, "trees_planted"), (2, 20, "trees_planted")]
    renamed = [e for e in effects if e.kind == "renamed_field"]
    assert len(renamed) == 10 and {(e.page, e.before, e.after) for e in renamed} == {
        (3, "trees_planted", "trees_planted_v2")}


def test_missing_field_never_empties_a_whole_page():
    assert mutate_page([{"id": "a", "n": 1}], [parse_fault("missing_field")], 1)[0] == [{"id": "a", "n": 1}]


def test_mutations_are_generic_over_record_shapes():
    records = [{"site": f"S{i}", "kato": "751110000", "ok": True, "waste_t": 2.5, "count": i} for i in range(12)]
    out, effects = mutate_page(records, check_faults(["bad_values", "unknown_region", "wrong_types"]), 1)
    assert records[2]["waste_t"] == 2.5  # the input is left alone
    assert out[2]["waste_t"] == -2.5 and out[3]["kato"] == "999999999" and out[1]["waste_t"] == "2.5"
    assert {e.field for e in effects} == {"waste_t", "kato"}


def test_pre_encoded_answers_get_faults_too():
    class RawJson:  # the shape a family may return: already-encoded JSON
        def __init__(self, payload: bytes):
            self.payload = payload

    body = {"page": 1, "next_page": None, "data": [{"id": str(i), "value": i} for i in range(11)]}
    raw = RawJson(json.dumps(body).encode())
    assert raw_bytes(raw) == raw.payload
    request = ApiRequest(ENDPOINT, {}, CONFIG)
    injector = FaultInjector(["missing_field", "truncated"])
    answer = injector.respond(request, raw, fetch=lambda params: raw)
    assert answer.status == 200 and answer.headers[APPLIED_HEADER] == "missing_field, truncated"
    whole = FaultInjector(["missing_field"]).respond(request, raw, fetch=lambda params: raw).payload
    assert answer.payload == whole[: len(whole) // 2]
    assert [r.get("value") for r in json.loads(whole)["data"]] == [None, *range(1, 10), None]
    assert FaultInjector(["server_error"]).respond(request, raw, fetch=lambda p: raw).status == 503
    assert FaultInjector().respond(request, raw, fetch=lambda p: raw) is None


def test_cursor_pages_are_numbered_by_walking_from_the_first():
    pages = {None: {"data": [{"id": "a", "v": 1}, {"id": "b", "v": 2}], "next_cursor": "c1"},
             "c1": {"data": [{"id": "c", "v": 3}, {"id": "d", "v": 4}], "next_cursor": "c2"},
             "c2": {"data": [{"id": "e", "v": 5}], "next_cursor": None}}

    def fetch(params):
        return pages[params.get("cursor")]

    injector = FaultInjector(["duplicates:n=1", "server_error@3"])
    second = injector.respond(ApiRequest("/x", {"cursor": "c1"}, CONFIG), pages["c1"], fetch)
    assert json.loads(second.payload)["data"] == [{"id": "b", "v": 2}, {"id": "d", "v": 4}]
    assert injector.respond(ApiRequest("/x", {"cursor": "c2"}, CONFIG), pages["c2"], fetch).status == 503


# --- the client against the faults -----------------------------------------------------


def test_client_recovers_from_transient_server_errors(serve, month_records):
    sleeps = []
    assert [r for page in walk(serve("server_error:2"), sleeps) for r in page] == month_records
    assert len(sleeps) == 2 * 3  # two failed attempts per page URL


def test_client_recovers_from_rate_limit_and_honours_retry_after(serve, month_records):
    sleeps = []
    assert [r for page in walk(serve("rate_limit:1"), sleeps) for r in page] == month_records
    assert sleeps == [1.0, 1.0, 1.0]
    sleeps = []
    walk(serve("rate_limit@2:1:retry_after=0"), sleeps)
    assert sleeps == [0.0]


def test_client_recovers_from_a_truncated_body(serve, month_records):
    sleeps = []
    assert [r for page in walk(serve("truncated:1"), sleeps) for r in page] == month_records
    assert len(sleeps) == 3


def test_client_recovers_from_a_slow_answer_that_times_out(serve, month_records):
    sleeps = []
    pages = walk(serve("slow@1:1:delay=1"), sleeps, timeout_s=0.3)
    assert [r for page in pages for r in page] == month_records
    assert len(sleeps) == 1


def test_client_fails_naming_the_url_under_a_permanent_server_error(serve):
    simulator = serve("server_error")
    sleeps = []
    with pytest.raises(SourceError) as failure:
        walk(simulator, sleeps, max_attempts=3)
    message = str(failure.value)
    assert simulator.url + ENDPOINT in message and "HTTP 503" in message and "3 attempts" in message
    assert len(sleeps) == 2


def test_the_loader_sees_schema_changes_and_bad_records_as_documented(serve):
    from taza.load.records import RecordError, missing_everywhere, type_record
    from taza.sources.regional import PLANTING_REPORTS

    renamed = served_pages(serve(), "renamed_field")[0]
    assert missing_everywhere(PLANTING_REPORTS, renamed) == ["trees_planted"]

    def rejected(page):
        bad = []
        for index, record in enumerate(page):
            try:
                type_record(PLANTING_REPORTS, record)
            except RecordError:
                bad.append(index)
        return bad

    for kind, hit in [("missing_field", [0, 10, 20]), ("wrong_types", [1, 11, 21]),
                      ("bad_values", []), ("unknown_region", [])]:
        page = served_pages(serve(), kind)[0]
        assert missing_everywhere(PLANTING_REPORTS, page) == []
        assert rejected(page) == hit, kind
