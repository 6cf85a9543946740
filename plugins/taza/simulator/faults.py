"""Switchable faults of the simulated sources.

Faults are applied between the route handler and the socket
(``server._RequestHandler.do_GET`` calls :meth:`FaultInjector.respond`), so every API
family gets them. Only successful answers (a handler's 200) are faulted; ``/health``,
401, 404 and 400 answers never are.

Switching faults on
-------------------
* per run: ``start_in_thread(config, faults=["server_error:2"])``,
  ``serve_forever(..., faults=...)``, ``taza sources serve|start --fault SPEC``
  (repeatable), or ``RunningSimulator.set_faults([...])`` on a running simulator;
* per request: header ``X-Simulator-Fault: SPEC[,SPEC...]`` or query parameter
  ``fault=SPEC[,SPEC...]``. The query parameter is removed before the handler sees the
  request and is not part of the URL that transient faults count by; a paging client
  that keeps its query parameters (``SourceClient.iter_pages``) sends it again with
  every page, so it stays switched on for the whole walk (use ``@page`` to aim).

Per-run and per-request faults add up. Names are checked when given: an unknown name or
a bad option is a ValueError at start, a 400 answer per request.

Spec grammar::

    SPEC   := NAME ["@" PAGE] (":" COUNT | ":" KEY "=" VALUE)*
    NAME   := one of the kinds below
    PAGE   := integer >= 1   only this page: the ``page`` of numbered paging, or the
                             position in a cursor walk (the first page, without a
                             ``cursor``, is 1)
    COUNT  := integer >= 1   transport kinds only: the fault fires the first COUNT times
                             per distinct URL (path + query, ``fault`` removed), then the
                             request succeeds; without COUNT the fault is permanent

e.g. ``server_error:2``, ``rate_limit:1:retry_after=0``, ``truncated@2``,
``slow:1:delay=0.5``, ``renamed_field:field=trees_planted:as=trees``,
``missing_field:every=5``.

Transport kinds (retryable by the client)
-----------------------------------------
============== ======================================================= ================
kind           effect                                                  options
============== ======================================================= ================
server_error   answer ``status`` with ``{"error": ...}``                status=503
rate_limit     answer 429 with ``{"error": ...}`` and ``Retry-After``   retry_after=1
slow           sleep ``delay`` seconds, then answer (whatever answer)   delay=2
truncated      send the first half of the JSON body; Content-Length is  (none)
               the truncated length, so the client sees malformed JSON
============== ======================================================= ================

Per request they are evaluated in this order: ``slow`` (delays the answer), then
``server_error`` and ``rate_limit`` (the first that fires answers), then the data kinds,
then ``truncated``. A transient fault counts only the attempts it fires on, so
``server_error:1,rate_limit:1`` fails the first two attempts of each URL.

Data kinds (deterministic: same request, same bytes)
----------------------------------------------------
They change the page's ``data`` list (``total_records`` and paging are unchanged) and
never take a COUNT. Which field is hit is found from the records themselves, so every
family gets them: the *numeric field* of a page is the first key, in record order, of
the page's first record holding an int/float (not bool) value (``trees_planted`` for
planting reports); ``field=NAME`` overrides it. Record-level kinds hit the records at
positions ``start, start + every, start + 2*every, ...`` of each page (0-based).

============== ==============================================================================
kind           rule
============== ==============================================================================
duplicates     on every page but the first, the first ``n`` records (n=3) are replaced by
               copies of the last ``n`` records of the previous page (as served without
               faults); the same natural key arrives twice, a record per copy is lost
renamed_field  in EVERY record holding it, the numeric field is renamed to ``as``
               (default: its name + ``_v2``), keeping key order: a schema change
missing_field  the numeric field is dropped from the records at every=10, start=0; never
               from every record of a page (a one-record page is left alone)
wrong_types    the numeric field becomes its string ("1200") at every=10, start=1
bad_values     the numeric field at every=10, start=2 becomes, alternately, negative
               (``-abs(v)``, -5 for 0) and absurd (``v * 1_000_000``, 10**9 for 0):
               the 1st, 3rd, ... hit record negative, the 2nd, 4th, ... absurd
unknown_region ``region_kato`` (else the first key ending in ``kato``) becomes
               '999999999' (999999999 if it was a number) at every=10, start=3
============== ==============================================================================

The different default ``start`` values keep combined record-level faults on different
records. To predict effects from the simulator's own records (e.g. expected quarantine
counts), use :func:`apply_data_faults` / :func:`expected_effects` on the unfaulted pages
(:func:`paginate`): they run the same code as the server. With the raw loader,
``missing_field`` (of a required field), ``wrong_types`` and ``duplicates`` effects are
quarantined record by record; ``renamed_field`` of a required field fails the batch as a
schema change; ``bad_values`` and ``unknown_region`` type fine and are left to the
quality gate.

A handler's answer may be a dict or pre-encoded JSON bytes (``bytes`` or a wrapper
holding them, e.g. ``RawJson``); bytes are decoded, mutated and re-encoded for data
faults and passed through otherwise. Every faulted answer carries the header
``X-Simulator-Fault-Applied`` listing the specs that fired.
"""
from __future__ import annotations

import dataclasses
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from taza.simulator.routing import ApiError, ApiRequest

FAULT_HEADER = "X-Simulator-Fault"
FAULT_PARAM = "fault"
APPLIED_HEADER = "X-Simulator-Fault-Applied"
UNKNOWN_KATO = "999999999"

TRANSPORT_FAULTS = ("slow", "server_error", "rate_limit", "truncated")
DATA_FAULTS = ("duplicates", "renamed_field", "missing_field", "wrong_types", "bad_values", "unknown_region")
KNOWN_FAULTS: frozenset[str] = frozenset(TRANSPORT_FAULTS + DATA_FAULTS)

_RECORD_LEVEL = {"every": 10, "field": None}
# Each kind's options and their defaults (the default's type is the option's type; None: text).
OPTIONS: dict[str, dict[str, object]] = {
    "server_error": {"status": 503},
    "rate_limit": {"retry_after": 1.0},
    "slow": {"delay": 2.0},
    "truncated": {},
    "duplicates": {"n": 3},
    "renamed_field": {"field": None, "as": None},
    "missing_field": {**_RECORD_LEVEL, "start": 0},
    "wrong_types": {**_RECORD_LEVEL, "start": 1},
    "bad_values": {**_RECORD_LEVEL, "start": 2},
    "unknown_region": {**_RECORD_LEVEL, "start": 3},
}
_MINIMUM = {"status": 500, "retry_after": 0, "delay": 0, "n": 1, "every": 1, "start": 0}
_SPEC = re.compile(r"(?P<name>[^@:]+)(?:@(?P<page>[0-9]+))?(?P<rest>(?::[^:]*)*)")


@dataclass(frozen=True)
class FaultSpec:
    """One parsed ``NAME[@PAGE][:COUNT][:KEY=VALUE...]``; ``str()`` gives it back canonically."""

    name: str
    page: int | None = None
    count: int | None = None
    options: tuple[tuple[str, object], ...] = ()

    def option(self, key: str):
        return dict(self.options).get(key, OPTIONS[self.name][key])

    @property
    def transport(self) -> bool:
        return self.name in TRANSPORT_FAULTS

    def __str__(self) -> str:
        text = self.name + (f"@{self.page}" if self.page is not None else "")
        text += f":{self.count}" if self.count is not None else ""
        return text + "".join(f":{key}={_format(value)}" for key, value in self.options)


@dataclass(frozen=True)
class Effect:
    """One record changed by a data fault. ``page`` is 1-based, ``index`` the position in
    the page's ``data``. ``before``/``after`` are the field's values (``after`` None for
    missing_field); for renamed_field they are the old and new field names, for
    duplicates the replaced record and its replacement."""

    page: int
    index: int
    kind: str
    field: str | None
    before: object
    after: object


@dataclass(frozen=True)
class FaultedAnswer:
    status: int
    payload: bytes
    headers: dict[str, str]
    delay_s: float = 0.0


def parse_fault(spec: str | FaultSpec) -> FaultSpec:
    """Parse one spec; raises ValueError naming what is wrong."""
    if isinstance(spec, FaultSpec):
        return spec
    text = str(spec).strip()
    match = _SPEC.fullmatch(text)
    if match is None:
        raise ValueError(f"bad simulator fault spec {text!r}: expected NAME[@PAGE][:COUNT][:KEY=VALUE...]")
    name = match["name"]
    if name not in KNOWN_FAULTS:
        raise ValueError(f"unknown simulator faults: {name} (known: {', '.join(sorted(KNOWN_FAULTS))})")
    page = int(match["page"]) if match["page"] is not None else None
    if page == 0:
        raise ValueError(f"bad simulator fault spec {text!r}: pages count from 1")
    count, options = None, {}
    for part in match["rest"].split(":")[1:]:
        if re.fullmatch(r"[0-9]+", part):
            if name not in TRANSPORT_FAULTS:
                raise ValueError(f"bad simulator fault spec {text!r}: a count only applies to "
                                 f"{', '.join(TRANSPORT_FAULTS)}; data faults are always on")
            if count is not None or int(part) < 1:
                raise ValueError(f"bad simulator fault spec {text!r}: give one count >= 1")
            count = int(part)
            continue
        key, equals, value = part.partition("=")
        if not equals or key not in OPTIONS[name]:
            known = ", ".join(OPTIONS[name]) or "none"
            raise ValueError(f"bad simulator fault spec {text!r}: unknown option {key!r} for {name} "
                             f"(options: {known}; a bare integer is a count)")
        options[key] = _option_value(text, key, value, OPTIONS[name][key])
    return FaultSpec(name, page, count, tuple(sorted(options.items())))


def parse_fault_list(text: str | None) -> tuple[FaultSpec, ...]:
    """Comma-separated specs, as in the header and the query parameter."""
    if not text:
        return ()
    return check_faults(part for part in text.split(",") if part.strip())


def check_faults(faults: Iterable[str | FaultSpec]) -> tuple[FaultSpec, ...]:
    """Parse specs (a typo fails loudly); duplicates are dropped, order kept."""
    parsed: dict[str, FaultSpec] = {}
    for fault in faults:
        spec = parse_fault(fault)
        parsed.setdefault(str(spec), spec)
    return tuple(parsed.values())


def _option_value(text: str, key: str, value: str, default: object) -> object:
    if default is None:
        if not value:
            raise ValueError(f"bad simulator fault spec {text!r}: option {key} needs a value")
        return value
    try:
        number = int(value) if isinstance(default, int) else float(value)
    except ValueError:
        kind = "an integer" if isinstance(default, int) else "a number"
        raise ValueError(f"bad simulator fault spec {text!r}: option {key} must be {kind}, got {value!r}") from None
    if not number >= _MINIMUM[key] or (key == "status" and number > 599):
        raise ValueError(f"bad simulator fault spec {text!r}: option {key} out of range, got {value!r}")
    return number


def _format(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- data faults: pure functions, shared by the server and the tests ---------------------


def paginate(records: Sequence[dict], page_size: int) -> list[list[dict]]:
    """``records`` cut into pages as numbered paging serves them."""
    return [list(records[i : i + page_size]) for i in range(0, len(records), page_size)] or [[]]


def apply_data_faults(pages: Sequence[Sequence[dict]], faults: Iterable[str | FaultSpec]
                      ) -> tuple[list[list[dict]], list[Effect]]:
    """The pages (as served without faults) as the simulator serves them with ``faults``
    switched on, and every effect; transport faults are ignored."""
    specs = [s for s in check_faults(faults) if not s.transport]
    served, effects = [], []
    for number, records in enumerate(pages, start=1):
        previous = pages[number - 2] if number > 1 else None
        page_specs = [s for s in specs if s.page is None or s.page == number]
        mutated, page_effects = mutate_page(records, page_specs, number, previous)
        served.append(mutated)
        effects.extend(page_effects)
    return served, effects


def expected_effects(pages: Sequence[Sequence[dict]], faults: Iterable[str | FaultSpec]) -> list[Effect]:
    """What the data faults change on these (unfaulted) pages; see :func:`apply_data_faults`."""
    return apply_data_faults(pages, faults)[1]


def mutate_page(records: Sequence, specs: Iterable[FaultSpec], page: int | None,
                previous: Sequence | None = None) -> tuple[list, list[Effect]]:
    """One page's records with the data faults of ``specs`` applied (the input is not
    changed); ``previous`` is the previous page's records, for duplicates."""
    out = [dict(r) if isinstance(r, dict) else r for r in records]
    effects: list[Effect] = []
    number = page or 0
    for spec in sorted((s for s in specs if not s.transport), key=lambda s: DATA_FAULTS.index(s.name)):
        if spec.name == "duplicates":
            _duplicates(out, spec, number, previous, effects)
        elif spec.name == "renamed_field":
            _renamed_field(out, spec, number, effects)
        else:
            _record_fault(out, spec, number, effects)
    return out, effects


def _dicts(records: Sequence) -> list[dict]:
    return [r for r in records if isinstance(r, dict)]


def numeric_field(records: Sequence) -> str | None:
    """The first key, in record order, of the first record holding an int/float value."""
    for record in _dicts(records):
        for key, value in record.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return key
    return None


def region_field(records: Sequence) -> str | None:
    """``region_kato`` if present, else the first key ending in 'kato'."""
    keys = [key for record in _dicts(records) for key in record]
    if "region_kato" in keys:
        return "region_kato"
    return next((key for key in keys if key.lower().endswith("kato")), None)


def _duplicates(out: list, spec: FaultSpec, page: int, previous: Sequence | None, effects: list) -> None:
    if page <= 1 or not previous:
        return
    k = min(spec.option("n"), len(previous), len(out))
    for index, source in enumerate(previous[len(previous) - k :]):
        copy = dict(source) if isinstance(source, dict) else source
        effects.append(Effect(page, index, spec.name, None, out[index], copy))
        out[index] = copy


def _renamed_field(out: list, spec: FaultSpec, page: int, effects: list) -> None:
    field = spec.option("field") or numeric_field(out)
    if field is None:
        return
    new_name = spec.option("as") or f"{field}_v2"
    for index, record in enumerate(out):
        if isinstance(record, dict) and field in record:
            out[index] = {(new_name if key == field else key): value for key, value in record.items()}
            effects.append(Effect(page, index, spec.name, field, field, new_name))


def _record_fault(out: list, spec: FaultSpec, page: int, effects: list) -> None:
    if spec.name == "unknown_region":
        field = spec.option("field") or region_field(out)
    else:
        field = spec.option("field") or numeric_field(out)
    if field is None:
        return
    hit = range(spec.option("start"), len(out), spec.option("every"))
    if spec.name == "missing_field":
        spared = [r for i, r in enumerate(out) if i not in hit and isinstance(r, dict) and field in r]
        if not spared:  # dropping it everywhere would be a schema change, not bad records
            return
    for nth, index in enumerate(hit):
        record = out[index]
        if not isinstance(record, dict) or field not in record:
            continue
        before = record[field]
        number = isinstance(before, (int, float)) and not isinstance(before, bool)
        if spec.name == "missing_field":
            del record[field]
            after = None
        elif spec.name == "wrong_types":
            if not number:
                continue
            after = str(before)
        elif spec.name == "bad_values":
            if not number:
                continue
            if nth % 2 == 0:
                after = -abs(before) if before else -5
            else:
                after = before * 1_000_000 if before else 10**9
        else:  # unknown_region
            after = int(UNKNOWN_KATO) if number else UNKNOWN_KATO
        if spec.name != "missing_field":
            record[field] = after
        effects.append(Effect(page, index, spec.name, field, before, after))


# --- the server side ------------------------------------------------------------------


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
                    headers["Retry-After"] = _format(spec.option("retry_after"))
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
