"""The simulator's HTTP front: one stdlib threading server for every API family.

Every path except ``/health`` requires the ``X-API-Key`` header. Bodies are compact
JSON; errors are ``{"error": message}``. Each request is logged at INFO on the
``taza.simulator.server`` logger. Switchable faults (per run, or per request with the
``X-Simulator-Fault`` header or ``fault`` query parameter) are applied between the
handler and the socket; see ``taza.simulator.faults``.
"""
from __future__ import annotations

import dataclasses
import hmac
import json
import logging
import threading
import time
from collections.abc import Iterable
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from taza.simulator.config import SimulatorConfig
from taza.simulator.faults.spec import FaultSpec
from taza.simulator.faults.transport import FaultInjector
from taza.simulator.registry import ROUTES
from taza.simulator.routing import ApiError, ApiRequest, RawJson

log = logging.getLogger(__name__)


class _SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True  # an open client connection never blocks shutdown

    def __init__(self, address: tuple[str, int], config: SimulatorConfig, faults: Iterable[str | FaultSpec]) -> None:
        faults = FaultInjector(faults)  # validates the specs before the port is taken
        super().__init__(address, _RequestHandler)
        self.config = config
        self.faults = faults

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class _RequestHandler(BaseHTTPRequestHandler):
    server: _SimulatorServer
    timeout = 60  # seconds a silent client may hold a thread

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/health":
            self._send(200, {"status": "ok"})
            return
        if not self._has_valid_key():
            self._send(401, {"error": "missing or invalid X-API-Key"})
            return
        handler = ROUTES.get(url.path)
        if handler is None:
            self._send(404, {"error": f"no such endpoint: {url.path}"})
            return
        try:
            params = _query_params(url.query)
            request_faults = self.server.faults.request_faults(params, self.headers)  # pops ?fault=
            request = ApiRequest(url.path, params, self.server.config)
            body = handler(request)
        except ApiError as error:
            self._send(error.status, {"error": error.message})
            return
        except Exception:
            log.exception("handler for %s failed", self.path)
            self._send(500, {"error": "internal error"})
            return
        # Fault hook (see taza.simulator.faults): run-level and per-request faults.
        try:
            def fetch(other_params):  # the same endpoint with other parameters (e.g. the previous page)
                return handler(ApiRequest(url.path, dict(other_params), self.server.config))

            faulted = self.server.faults.respond(request, body, fetch, request_faults)
        except Exception:
            log.exception("faults for %s failed", self.path)
            self._send(500, {"error": "internal error"})
            return
        if faulted is None:
            self._send(200, body)
            return
        if faulted.delay_s:
            time.sleep(faulted.delay_s)
        try:
            self._send_payload(faulted.status, faulted.payload, faulted.headers)
        except (BrokenPipeError, ConnectionResetError):  # e.g. the client timed out on 'slow'
            log.info("%s: client went away before the faulted answer", self.path)

    def _method_not_allowed(self) -> None:
        self._send(405, {"error": f"method {self.command} not allowed"}, {"Allow": "GET"})

    do_POST = do_PUT = do_PATCH = do_DELETE = _method_not_allowed

    def _has_valid_key(self) -> bool:
        given = self.headers.get("X-API-Key", "")
        return hmac.compare_digest(given.encode(), self.server.config.api_key.encode())

    def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        payload = body if isinstance(body, RawJson) else json.dumps(body, separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _send_payload(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
        """Send pre-encoded JSON as is (faulted answers: Content-Length is the payload's)."""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, fmt: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), fmt % args)


def _query_params(query: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name in params:
            raise ApiError(400, f"query parameter {name} is given more than once")
        params[name] = value
    return params


class RunningSimulator:
    """A simulator serving from a daemon thread; ``stop()`` (or leaving the ``with``
    block) shuts it down and frees the port."""

    def __init__(self, server: _SimulatorServer) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name=f"taza-simulator-{self.port}", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def faults(self) -> tuple[FaultSpec, ...]:
        """The run's faults (per-request ones come on top)."""
        return self._server.faults.specs

    def set_faults(self, faults: Iterable[str | FaultSpec]) -> None:
        """Switch the run's faults while serving; attempt counts start over."""
        self._server.faults.set_faults(faults)

    @property
    def today(self) -> date:
        return self._server.config.today

    def set_today(self, today: date) -> None:
        """Move the simulator's clock while serving (a test replaying months as they passed):
        later requests see the history as it stood on ``today``."""
        self._server.config = dataclasses.replace(self._server.config, today=today)

    def restart_fault_counts(self) -> None:
        """Forget the attempt counts, so transient faults (``server_error:2``) fire again."""
        self._server.faults.reset()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_in_thread(
    config: SimulatorConfig, host: str = "127.0.0.1", port: int = 0, faults: Iterable[str | FaultSpec] = ()
) -> RunningSimulator:
    """Serve in the background (port 0 picks a free port); for tests and local runs.
    ``faults`` are fault specs (``taza.simulator.faults``), e.g. ``["server_error:2"]``."""
    return RunningSimulator(_SimulatorServer((host, port), config, faults))


def serve_forever(config: SimulatorConfig, host: str, port: int, faults: Iterable[str | FaultSpec] = ()) -> None:
    """Serve in the foreground until interrupted (``taza sources serve``)."""
    with _SimulatorServer((host, port), config, faults) as server:
        log.info("taza source simulator on %s (seed %s, scale %s)", server.url, config.seed, config.scale)
        server.serve_forever()
