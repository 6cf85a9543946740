"""The source HTTP client against a scripted server on a real socket."""
from __future__ import annotations

import itertools
import json
import math
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from taza.sources.http import SourceClient, SourceError, decode_json, retry_after_seconds
from taza.sources.limits import SourceLimits

pytestmark = pytest.mark.unit


class ScriptedServer:
    """Answers each GET with the next scripted (status, headers, body); records requests.

    A scripted ``Date`` header replaces the one the server would send; a callable instead
    of a script answers every request itself (``respond(handler)``)."""

    def __init__(self, script):
        self.script = script if callable(script) else list(script)
        self.requests: list[tuple[str, str | None]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append((self.path, self.headers.get("X-API-Key")))
                if callable(outer.script):
                    return outer.script(self)
                status, headers, body = outer.script.pop(0)
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                headers = dict(headers)
                self.date = headers.pop("Date", None)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def date_time_string(self, timestamp=None):
                return getattr(self, "date", None) or super().date_time_string(timestamp)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve():
    servers = []

    def start(*script):
        servers.append(ScriptedServer(script[0] if len(script) == 1 and callable(script[0]) else script))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def client(server, sleeps, **limits):
    return SourceClient(base_url=server.url, api_key="k3y", dataset="regional__test", sleep=sleeps.append,
                        limits=SourceLimits(**limits))


def test_pages_follow_next_page_and_send_the_key(serve):
    server = serve((200, {}, {"data": [{"a": 1}], "next_page": 2}), (200, {}, {"data": [{"a": 2}], "next_page": None}))
    pages = list(client(server, []).iter_pages("/x", {"page": 1}))
    assert [p.records for p in pages] == [[{"a": 1}], [{"a": 2}]]
    assert [r[1] for r in server.requests] == ["k3y", "k3y"]
    assert server.requests[1][0] == "/x?page=2"
    assert pages[0].body == json.dumps({"data": [{"a": 1}], "next_page": 2}).encode()


def test_cursor_paging(serve):
    server = serve((200, {}, {"data": [1], "next_cursor": "abc"}), (200, {}, {"data": [2], "next_cursor": None}))
    assert [p.records for p in client(server, []).iter_pages("/t", {"since": "2024"})] == [[1], [2]]
    assert server.requests[1][0] == "/t?since=2024&cursor=abc"


def test_429_honours_retry_after_and_5xx_backs_off(serve):
    sleeps = []
    server = serve((429, {"Retry-After": "7"}, {"error": "slow down"}), (503, {}, {"error": "busy"}),
                   (200, {}, {"data": []}))
    assert list(client(server, sleeps).iter_pages("/x", {}))[0].records == []
    assert sleeps[0] == 7.0
    assert 0 < sleeps[1] <= 1.0


def test_truncated_body_is_retried(serve):
    sleeps = []
    server = serve((200, {}, b'{"data": [{"a"'), (200, {}, {"data": [{"a": 1}]}))
    assert list(client(server, sleeps).iter_pages("/x", {}))[0].records == [{"a": 1}]
    assert len(sleeps) == 1


def test_persistent_failure_names_dataset_url_and_problem(serve):
    server = serve(*[(500, {}, {"error": "boom"})] * 6)
    with pytest.raises(SourceError) as err:
        list(client(server, []).iter_pages("/x", {"page": 1}))
    message = str(err.value)
    assert "regional__test" in message and f"{server.url}/x" in message and "HTTP 500" in message
    assert "after 6 attempts" in message


def test_401_fails_at_once(serve):
    server = serve((401, {}, {"error": "missing or invalid X-API-Key"}))
    with pytest.raises(SourceError, match="HTTP 401: .*X-API-Key"):
        list(client(server, []).iter_pages("/x", {}))
    assert len(server.requests) == 1


def test_page_without_data_list_is_malformed(serve):
    server = serve((200, {}, {"rows": []}))
    with pytest.raises(SourceError, match="malformed page, expected an object with a 'data' list"):
        list(client(server, []).iter_pages("/x", {}))


@pytest.mark.parametrize("text", [
    '{"a":1,"a":2}', '[1.5, -0.0, 1e-05, 12.50, 123456789012345678901234567890]', '["Қостанай", "\\u00e9\\t"]',
    '[NaN, Infinity]', '[1e400]', '["\\ud800"]', '{"data": [{"x": null, "y": true}], "next_cursor": null}',
])
def test_decode_json_gives_what_json_loads_gives(text):
    assert repr(decode_json(text.encode())) == repr(json.loads(text))


@pytest.mark.parametrize("text", ['{"data": [1, 2', "", "[1,]"])
def test_decode_json_raises_value_error_on_malformed_json(text):
    with pytest.raises(ValueError):
        decode_json(text.encode())


# Bounds against misbehaving servers (taza.sources.limits). Each names dataset, URL and the limit.

def test_a_retry_after_past_the_cap_fails_at_once_instead_of_sleeping(serve):
    sleeps = []
    server = serve((429, {"Retry-After": "86400"}, {"error": "come back tomorrow"}), (200, {}, {"data": []}))
    with pytest.raises(SourceError) as err:
        list(client(server, sleeps, retry_after_max_s=60).iter_pages("/x", {}))
    assert sleeps == [] and len(server.requests) == 1
    message = str(err.value)
    assert "regional__test" in message and f"{server.url}/x" in message
    assert "Retry-After: 86400" in message and "60s (TAZA_SOURCE_RETRY_AFTER_MAX_S)" in message


def test_retry_after_inf_is_over_the_cap_not_an_overflow(serve):
    server = serve((503, {"Retry-After": "inf"}, {"error": "busy"}), (200, {}, {"data": []}))
    with pytest.raises(SourceError, match="Retry-After: inf .*TAZA_SOURCE_RETRY_AFTER_MAX_S"):
        list(client(server, []).iter_pages("/x", {}))


def test_retry_after_as_an_http_date_counts_from_the_servers_date(serve):
    sleeps = []
    now = time.time() - 3600  # the server's clock is an hour behind ours: its Date is the reference
    server = serve((429, {"Date": formatdate(now, usegmt=True), "Retry-After": formatdate(now + 5, usegmt=True)},
                    {"error": "slow down"}), (200, {}, {"data": [1]}))
    assert list(client(server, sleeps).iter_pages("/x", {}))[0].records == [1]
    assert sleeps == [5.0]


@pytest.mark.parametrize("value", ["-30", "nan", "soon", ""])
def test_a_negative_or_unreadable_retry_after_falls_back_to_the_backoff(serve, value):
    sleeps = []
    server = serve((503, {"Retry-After": value}, {"error": "busy"}), (200, {}, {"data": []}))
    list(client(server, sleeps).iter_pages("/x", {}))
    assert len(sleeps) == 1 and 0.25 <= sleeps[0] <= 0.5  # backoff_s 0.5 with jitter


@pytest.mark.parametrize("value, date, seconds", [
    ("120", None, 120.0), (" 7 ", None, 7.0), ("0", None, 0.0), ("inf", None, math.inf), ("-1", None, None),
    ("nan", None, None), ("later", None, None), (None, None, None),
    ("Wed, 21 Oct 2015 07:28:30 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", 30.0),
    ("Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:30:00 GMT", 0.0),  # in the past
])
def test_retry_after_seconds(value, date, seconds):
    assert retry_after_seconds(value, date) == seconds


def test_a_cursor_that_comes_back_stops_the_walk(serve):
    server = serve(lambda handler: _send_json(handler, {"data": [1], "next_cursor": "again"}))
    with pytest.raises(SourceError) as err:
        list(itertools.islice(client(server, []).iter_pages("/t", {"since": "2024"}), 50))
    assert len(server.requests) == 2
    assert "regional__test" in str(err.value) and f"{server.url}/t?since=2024&cursor=again" in str(err.value)
    assert "points back to a page already fetched (next_cursor='again'" in str(err.value)


def test_a_next_page_that_comes_back_stops_the_walk(serve):
    pages = iter([{"data": [1], "next_page": 2}, {"data": [2], "next_page": 3}, {"data": [3], "next_page": 2}])
    server = serve(lambda handler: _send_json(handler, next(pages)))
    with pytest.raises(SourceError, match="page 3 points back to a page already fetched"):
        list(client(server, []).iter_pages("/x", {"page": 1}))


def test_an_endless_walk_stops_at_the_page_cap(serve):
    counter = itertools.count(1)
    server = serve(lambda handler: _send_json(handler, {"data": [], "next_cursor": f"c{next(counter)}"}))
    walk = client(server, [], max_pages=5).iter_pages("/t", {})
    with pytest.raises(SourceError, match="page 5 still has a next page.*at most 5 pages .TAZA_SOURCE_MAX_PAGES"):
        list(itertools.islice(walk, 50))
    assert len(server.requests) == 5


def test_a_body_over_the_size_limit_is_not_read_to_the_end(serve):
    body = json.dumps({"data": ["x" * 100_000]}).encode()

    def no_length(handler):  # HTTP/1.0, no Content-Length: the body ends when the server closes
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(body)

    server = serve(no_length)
    with pytest.raises(SourceError) as err:
        list(client(server, [], max_body_bytes=10_000).iter_pages("/x", {}))
    message = str(err.value)
    assert len(server.requests) == 1 and "regional__test" in message and f"{server.url}/x" in message
    assert "more than 10000 bytes arrived, over the limit of 10000 bytes (TAZA_SOURCE_MAX_BODY_BYTES)" in message


def test_a_declared_length_over_the_limit_fails_before_reading(serve):
    server = serve((200, {}, {"data": ["x" * 100_000]}))
    with pytest.raises(SourceError, match=r"declares Content-Length 1000\d\d, over the limit of 10000 bytes"):
        list(client(server, [], max_body_bytes=10_000).iter_pages("/x", {}))


def test_a_server_that_drips_bytes_is_cut_off_at_the_request_deadline(serve):
    body = json.dumps({"data": [1, 2, 3, 4, 5, 6, 7, 8, 9]}).encode()

    def drip(handler):  # every read is quick, so a per-read timeout never fires
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.2)

    server = serve(drip)
    source = client(server, [], request_deadline_s=0.6)
    source.max_attempts = 2
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        list(source.iter_pages("/x", {}))
    assert time.monotonic() - started < 3  # the whole body would take 7 s per attempt
    message = str(err.value)
    assert "regional__test" in message and f"{server.url}/x" in message and "after 2 attempts" in message
    assert "longer than the request deadline of 0.6s (TAZA_SOURCE_REQUEST_DEADLINE_S)" in message


def test_retries_stop_at_the_retry_budget(serve):
    server = serve(lambda handler: _send_json(handler, {"error": "busy"}, status=503))
    source = SourceClient(base_url=server.url, api_key="k3y", dataset="regional__test", backoff_s=0.2,
                          limits=SourceLimits(retry_budget_s=0.5))
    with pytest.raises(SourceError) as err:
        list(source.iter_pages("/x", {}))
    message = str(err.value)
    assert 2 <= len(server.requests) < 6 and "regional__test" in message and f"{server.url}/x" in message
    assert "retry budget of 0.5s (TAZA_SOURCE_RETRY_BUDGET_S); last problem: HTTP 503" in message


def test_limits_come_from_the_environment_and_refuse_nonsense(monkeypatch):
    monkeypatch.setenv("TAZA_SOURCE_MAX_PAGES", "7")
    monkeypatch.setenv("TAZA_SOURCE_RETRY_AFTER_MAX_S", "2.5")
    assert SourceLimits.from_environment() == SourceLimits(max_pages=7, retry_after_max_s=2.5)
    monkeypatch.setenv("TAZA_SOURCE_REQUEST_DEADLINE_S", "inf")
    with pytest.raises(ValueError, match="TAZA_SOURCE_REQUEST_DEADLINE_S must be a positive finite float"):
        SourceLimits.from_environment()


def _send_json(handler, doc, status=200):
    payload = json.dumps(doc).encode()
    handler.send_response(status)
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)
