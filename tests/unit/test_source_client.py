"""The source HTTP client against a scripted server on a real socket."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from taza.sources.http import SourceClient, SourceError, decode_json

pytestmark = pytest.mark.unit


class ScriptedServer:
    """Answers each GET with the next scripted (status, headers, body); records requests."""

    def __init__(self, script):
        self.script = list(script)
        self.requests: list[tuple[str, str | None]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append((self.path, self.headers.get("X-API-Key")))
                status, headers, body = outer.script.pop(0)
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

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
        servers.append(ScriptedServer(script))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def client(server, sleeps):
    return SourceClient(base_url=server.url, api_key="k3y", dataset="regional__test", sleep=sleeps.append)


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
