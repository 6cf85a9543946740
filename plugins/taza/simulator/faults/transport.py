"""Transport faults and the injector: which faults a request gets, the attempt counts of
transient ones, and the faulted answer between a route handler and the socket, with the
cursor walk that numbers a feed's pages (see ``taza.simulator.faults``)."""
from __future__ import annotations

import dataclasses
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from taza.simulator.faults.mutations import mutate_page
from taza.simulator.faults.spec import FaultSpec, check_faults, format_option, parse_fault_list
from taza.simulator.routing import ApiError, ApiRequest

FAULT_HEADER = "X-Simulator-Fault"
FAULT_PARAM = "fault"
APPLIED_HEADER = "X-Simulator-Fault-Applied"


@dataclass(frozen=True)
class FaultedAnswer:
    status: int
    payload: bytes
    headers: dict[str, str]
    delay_s: float = 0.0


def encode(body: object) -> bytes:
    """JSON as the server encodes it."""
    return json.dumps(body, separators=(",", ":")).encode()


def raw_bytes(body: object) -> bytes | None:
    """The bytes of a pre-encoded answer (bytes, or a wrapper such as ``RawJson``), else None."""
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, (dict, list, str, int, float, bool)) or body is None:
        return None
    if hasattr(type(body), "__bytes__"):
        return bytes(body)
    names = ["payload", "body", "data", "raw", "content", "encoded"]
    if dataclasses.is_dataclass(body):
        names += [f.name for f in dataclasses.fields(body)]
    for name in names:
        value = getattr(body, name, None)
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
    return None


def _payload(body: object) -> bytes:
    raw = raw_bytes(body)
    return raw if raw is not None else encode(body)


def _document(body: object) -> object:
    """The answer as parsed JSON (None if it cannot be read)."""
    raw = raw_bytes(body)
    if raw is None:
        return body
    try:
        return json.loads(raw)
    except ValueError:
        return None


class FaultInjector:
    """The faults switched on for a server, and the attempt counts of transient ones."""

    MAX_CURSOR_WALK = 10_000

    def __init__(self, faults: Iterable[str | FaultSpec] = ()) -> None:
        self._lock = threading.Lock()
        self._specs = check_faults(faults)
        self._attempts: dict[tuple[str, str], int] = {}

    @property
    def specs(self) -> tuple[FaultSpec, ...]:
        return self._specs

    def set_faults(self, faults: Iterable[str | FaultSpec]) -> None:
        """Switch the run's faults (validated first) and forget the attempt counts."""
        specs = check_faults(faults)
        with self._lock:
            self._specs = specs
            self._attempts.clear()

    def reset(self) -> None:
        """Forget the attempt counts: transient faults fire again."""
        with self._lock:
            self._attempts.clear()

    @staticmethod
    def request_faults(params: dict[str, str], headers: Mapping[str, str]) -> tuple[FaultSpec, ...]:
        """Pops the ``fault`` query parameter from ``params``; with the header, parsed.
        A bad spec is an ApiError 400."""
        try:
            return check_faults((*parse_fault_list(headers.get(FAULT_HEADER)),
                                 *parse_fault_list(params.pop(FAULT_PARAM, None))))
        except ValueError as err:
            raise ApiError(400, str(err)) from None

    def respond(self, request: ApiRequest, body: object, fetch: Callable[[Mapping[str, str]], object],
                extra: Sequence[FaultSpec] = ()) -> FaultedAnswer | None:
        """The faulted answer to ``request`` whose handler answered ``body``; None if no
        fault fires (the server then answers as usual). ``fetch(params)`` calls the same
        handler with other query parameters (to find the previous page)."""
        specs = check_faults((*self._specs, *extra))
        if not specs:
            return None
        context = _PageContext(request, body, fetch, self.MAX_CURSOR_WALK)
        if any(s.page is not None for s in specs):
            specs = tuple(s for s in specs if s.page is None or s.page == context.number)
        url_key = request.path + "?" + urlencode(sorted(request.params.items()))
        applied: list[str] = []
        delay = 0.0
        for spec in specs:
            if spec.name == "slow" and self._fires(spec, url_key):
                delay += spec.option("delay")
                applied.append(str(spec))
        for spec in specs:
            if spec.name in ("server_error", "rate_limit") and self._fires(spec, url_key):
                applied.append(str(spec))
                headers = {APPLIED_HEADER: ", ".join(applied)}
                if spec.name == "rate_limit":
                    status, message = 429, "rate limit exceeded"
                    headers["Retry-After"] = format_option(spec.option("retry_after"))
                else:
                    status, message = spec.option("status"), "service unavailable"
                error = {"error": f"{message} (simulated fault {spec})"}
                return FaultedAnswer(status, encode(error), headers, delay)
        data_specs = [s for s in specs if not s.transport]
        payload = None
        if data_specs:
            doc = _document(body)
            if isinstance(doc, dict) and isinstance(doc.get("data"), list):
                previous = context.previous_records() if any(s.name == "duplicates" for s in data_specs) else None
                records, _ = mutate_page(doc["data"], data_specs, context.number, previous)
                payload = encode({**doc, "data": records})
                applied.extend(str(s) for s in data_specs)
        for spec in specs:
            if spec.name == "truncated" and self._fires(spec, url_key):
                if payload is None:
                    payload = _payload(body)
                payload = payload[: len(payload) // 2]
                applied.append(str(spec))
        if not applied:
            return None
        if payload is None:
            payload = _payload(body)
        return FaultedAnswer(200, payload, {APPLIED_HEADER: ", ".join(applied)}, delay)

    def _fires(self, spec: FaultSpec, url_key: str) -> bool:
        if spec.count is None:
            return True
        key = (str(spec), url_key)
        with self._lock:
            attempts = self._attempts.get(key, 0)
            if attempts >= spec.count:
                return False
            self._attempts[key] = attempts + 1
            return True


class _PageContext:
    """Which page a request asks for, and the page before it, found lazily."""

    def __init__(self, request: ApiRequest, body: object, fetch: Callable, max_walk: int) -> None:
        self.request, self.body, self.fetch, self.max_walk = request, body, fetch, max_walk
        self._resolved = False
        self._number: int | None = None
        self._previous_doc: object = None

    @property
    def number(self) -> int | None:
        self._resolve()
        return self._number

    def previous_records(self) -> list | None:
        self._resolve()
        if self._number is None or self._number <= 1:
            return None
        doc = self._previous_doc
        if doc is None:  # numbered paging: ask the handler for the page before
            try:
                doc = _document(self.fetch({**self.request.params, "page": str(self._number - 1)}))
            except ApiError:
                return None
        data = doc.get("data") if isinstance(doc, dict) else None
        return data if isinstance(data, list) else None

    def _resolve(self) -> None:
        if self._resolved:
            return
        self._resolved = True
        params = self.request.params
        if "cursor" in params:
            self._number, self._previous_doc = self._walk_to(params["cursor"])
            return
        doc = _document(self.body)
        page = doc.get("page") if isinstance(doc, dict) else None
        if isinstance(page, int) and not isinstance(page, bool):
            self._number = page
        elif re.fullmatch(r"[0-9]+", params.get("page", "")):
            self._number = int(params["page"])
        else:
            self._number = 1

    def _walk_to(self, cursor: str) -> tuple[int | None, object]:
        """Follow next_cursor from the first page until it names ``cursor``."""
        params = {k: v for k, v in self.request.params.items() if k != "cursor"}
        try:
            for number in range(1, self.max_walk):
                doc = _document(self.fetch(params))
                following = doc.get("next_cursor") if isinstance(doc, dict) else None
                if not following:
                    break
                if following == cursor:
                    return number + 1, doc
                params = {**params, "cursor": following}
        except ApiError:
            pass
        return None, None
