"""A paged JSON client for the source APIs: API key header, retries, backoff, Retry-After, bounds.

Transient trouble (connection errors, timeouts, 429, 5xx, a body cut short, an attempt
past its deadline) is retried with exponential backoff, honouring Retry-After. Anything
else, trouble that outlasts the retries, or a source past one of the bounds of
``taza.sources.limits`` (Retry-After, retry time, request deadline, pages, body size,
a repeated cursor) raises SourceError naming the dataset, the URL and what was wrong.
"""
from __future__ import annotations

import json
import logging
import math
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import msgspec
import requests
import urllib3

from taza.sources.limits import SourceLimits

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {429, 500, 502, 503, 504}
BODY_CHUNK_BYTES = 1 << 20


class SourceError(RuntimeError):
    """A source API answered in a way the pipeline cannot use."""


class _Transient(Exception):
    """One attempt failed in a way the next attempt may not."""


@dataclass(frozen=True)
class Page:
    url: str  # the URL as requested, query string included
    body: bytes  # exactly what was received, for the batch's sha256
    records: list[dict]
    number: int


@dataclass
class SourceClient:
    base_url: str
    api_key: str
    dataset: str = "?"  # named in every error message
    timeout_s: float = 60.0  # per socket read; the whole attempt is bounded by limits.request_deadline_s
    max_attempts: int = 6
    backoff_s: float = 0.5
    backoff_max_s: float = 30.0
    limits: SourceLimits = field(default_factory=SourceLimits.from_environment)
    session: requests.Session = field(default_factory=requests.Session)
    sleep: callable = time.sleep

    def get_json(self, path: str, params: dict) -> tuple[str, bytes, dict]:
        """GET one JSON document; returns (url, raw body, parsed body)."""
        url = self.base_url.rstrip("/") + path
        started = time.monotonic()
        for attempt in range(1, self.max_attempts + 1):
            wait = None
            try:
                full_url, status, body, wait = self._attempt(url, params)
                if status in RETRYABLE_STATUS:
                    raise _Transient(f"HTTP {status}")
                if status != 200:
                    raise SourceError(f"{self.dataset}: GET {full_url} answered HTTP "
                                      f"{status}: {body[:300].decode(errors='replace')}")
                try:
                    return full_url, body, decode_json(body)
                except ValueError as err:
                    raise _Transient(f"malformed JSON ({err}; {len(body)} bytes received)") from None
            except _Transient as err:
                problem = str(err)
            if attempt == self.max_attempts:
                raise SourceError(f"{self.dataset}: GET {url} params={params} failed after "
                                  f"{attempt} attempts: {problem}")
            delay = wait if wait is not None else self._backoff(attempt)
            spent = time.monotonic() - started
            if spent + delay > self.limits.retry_budget_s:
                raise SourceError(
                    f"{self.dataset}: GET {url} params={params} gave up after {attempt} attempts in "
                    f"{spent:.1f}s: waiting {delay:.1f}s more would pass the retry budget of "
                    f"{self.limits.retry_budget_s:g}s (TAZA_SOURCE_RETRY_BUDGET_S); last problem: {problem}. "
                    f"The source is failing for longer than a transient fault: check it, then rerun the task")
            log.warning("%s: GET %s %s: %s; retry %d/%d in %.1fs", self.dataset, url, params, problem,
                        attempt, self.max_attempts - 1, delay)
            self.sleep(delay)
        raise AssertionError("unreachable")

    def _attempt(self, url: str, params: dict) -> tuple[str, int, bytes, float | None]:
        """One GET: (URL with query, status, body, Retry-After in seconds or None)."""
        limits = self.limits
        deadline = time.monotonic() + limits.request_deadline_s
        try:
            with self.session.get(url, params=params, timeout=min(self.timeout_s, limits.request_deadline_s),
                                  stream=True, headers={"X-API-Key": self.api_key,
                                                        "Accept": "application/json"}) as response:
                wait = self._retry_after(response) if response.status_code in RETRYABLE_STATUS else None
                return response.url, response.status_code, self._read_body(response, deadline), wait
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
                urllib3.exceptions.HTTPError) as err:
            raise _Transient(f"{type(err).__name__}: {err}") from None

    def _read_body(self, response: requests.Response, deadline: float) -> bytes:
        """The body, read as it arrives (``read1`` returns each read's bytes at once), so the
        size limit and the attempt's deadline are checked however slowly the bytes come."""
        limit = self.limits.max_body_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise self._too_large(response.url, f"it declares Content-Length {declared}")
        chunks, size = [], 0
        while chunk := response.raw.read1(BODY_CHUNK_BYTES, decode_content=True):
            size += len(chunk)
            if size > limit:
                raise self._too_large(response.url, f"more than {limit} bytes arrived")
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise _Transient(f"the answer took longer than the request deadline of "
                                 f"{self.limits.request_deadline_s:g}s (TAZA_SOURCE_REQUEST_DEADLINE_S); "
                                 f"{size} bytes had arrived")
        return b"".join(chunks)

    def _too_large(self, url: str, what: str) -> SourceError:
        return SourceError(f"{self.dataset}: GET {url}: response body too large: {what}, over the limit of "
                           f"{self.limits.max_body_bytes} bytes (TAZA_SOURCE_MAX_BODY_BYTES); nothing of it "
                           f"was landed. Ask the source for smaller pages, or raise the limit if it is honest")

    def _retry_after(self, response: requests.Response) -> float | None:
        """Seconds the server asks us to wait (delta-seconds or HTTP-date form), None if it
        does not say or says nonsense (the backoff then applies); past the cap, SourceError."""
        wait = retry_after_seconds(response.headers.get("Retry-After"), response.headers.get("Date"))
        if wait is not None and wait > self.limits.retry_after_max_s:
            raise SourceError(
                f"{self.dataset}: GET {response.url} answered HTTP {response.status_code} with Retry-After: "
                f"{response.headers['Retry-After']} ({wait:g}s), longer than the limit of "
                f"{self.limits.retry_after_max_s:g}s (TAZA_SOURCE_RETRY_AFTER_MAX_S); not waiting. "
                f"The task fails now and its Airflow retry asks again later")
        return wait

    def _backoff(self, attempt: int) -> float:
        delay = min(self.backoff_max_s, self.backoff_s * 2 ** (attempt - 1))
        return delay * (0.5 + random.random() / 2)

    def iter_pages(self, path: str, params: dict) -> Iterator[Page]:
        """Follow ``next_page`` (numbered paging) or ``next_cursor`` (cursor paging), at most
        ``limits.max_pages`` pages, and never to a page or cursor already fetched."""
        params = dict(params)
        number = 1
        seen = set()
        while True:
            url, body, doc = self.get_json(path, params)
            records = doc.get("data") if isinstance(doc, dict) else None
            if not isinstance(records, list):
                raise SourceError(f"{self.dataset}: GET {url}: malformed page, expected an object "
                                  f"with a 'data' list, got {str(doc)[:200]!r}")
            yield Page(url=url, body=body, records=records, number=number)
            seen.add((params.get("cursor"), params.get("page")))
            if doc.get("next_cursor"):
                params["cursor"] = doc["next_cursor"]
            elif doc.get("next_page"):
                params["page"] = doc["next_page"]
            else:
                return
            if (params.get("cursor"), params.get("page")) in seen:
                raise SourceError(
                    f"{self.dataset}: GET {url}: page {number} points back to a page already fetched "
                    f"(next_cursor={doc.get('next_cursor')!r}, next_page={doc.get('next_page')!r}): the "
                    f"source's paging loops, the walk stops here and nothing of this batch is landed")
            if number >= self.limits.max_pages:
                raise SourceError(
                    f"{self.dataset}: GET {url}: page {number} still has a next page, and a walk may have at "
                    f"most {self.limits.max_pages} pages (TAZA_SOURCE_MAX_PAGES); nothing of this batch is "
                    f"landed. Check the source's paging, or raise the limit for a larger interval")
            number += 1


_DECODER = msgspec.json.Decoder()


@dataclass(frozen=True)
class UndecodableRecord:
    """One element of a page's ``data`` list that no JSON decoder can turn into Python
    (nested deeper than the recursion limit, an integer of thousands of digits, bytes
    that are not UTF-8). The loader quarantines it with ``reason``; ``text`` is kept."""

    reason: str
    text: bytes


def decode_json(body: bytes):
    """``json.loads(body)``, faster: msgspec gives the same objects for standard JSON (about
    twice as fast on large pages); what it refuses (NaN, lone surrogates, numbers out of
    float range...) is left to the json module, which accepts it or raises ValueError.

    Syntax errors (a body cut short) raise ValueError, for the client to retry. A page
    that is valid JSON but holds records beyond a decoder's limits is decoded record by
    record (``decode_records``): the others decode and those become UndecodableRecord,
    so one record cannot fail the whole page."""
    try:
        return _DECODER.decode(body)
    except (msgspec.DecodeError, RecursionError):
        pass
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError):  # a limit, not a syntax error: see decode_records
        return decode_records(body)


# JSON's structural tokens, with every string as one token (so brackets inside it are skipped).
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{},:]', re.DOTALL)


def decode_records(body: bytes) -> dict:
    """Decode an object page ``{"data": [...], ...}`` element by element; an element that
    fails on a decoder limit becomes an UndecodableRecord, one with a syntax error makes
    the page malformed (ValueError). Scans without recursion, however deep the nesting."""
    depth, key, data_start, data_end = 0, None, None, None
    elements = []  # (start, end, nesting levels) of each element of the data list
    element_start = deepest = 0
    for token in _TOKENS.finditer(body):
        text = token.group()
        if text in (b"{", b"["):
            depth += 1
            if data_start is not None and data_end is None:
                deepest = max(deepest, depth - 2)
            elif depth == 2 and key == b'"data"' and text == b"[" and data_start is None:
                data_start, element_start = token.start(), token.end()
        elif text in (b"}", b"]"):
            depth -= 1
            if depth == 1 and data_start is not None and data_end is None:
                elements.append((element_start, token.start(), deepest))
                data_end = token.end()
            elif depth < 0:
                break
        elif text == b",":
            if depth == 2 and data_start is not None and data_end is None:
                elements.append((element_start, token.start(), deepest))
                element_start, deepest = token.end(), 0
            elif depth == 1:
                key = None
        elif depth == 1 and key is None and text != b":":
            key = text
    if data_end is None or depth != 0:
        raise ValueError("malformed JSON: not an object with a complete 'data' list")
    page = json.loads(body[:data_start] + b"[]" + body[data_end:])
    elements = [(body[start:end].strip(), levels) for start, end, levels in elements]
    if elements == [(b"", 0)]:  # an empty list
        elements = []
    page["data"] = [_decode_element(text, levels, number) for number, (text, levels) in enumerate(elements, 1)]
    return page


def _decode_element(text: bytes, levels: int, number: int):
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"malformed JSON in record {number} of the page: {err}") from None
    except RecursionError:
        return UndecodableRecord(f"record nested {levels} levels deep, beyond what the JSON decoder "
                                 f"can follow (Python's recursion limit {sys.getrecursionlimit()})", text)
    except UnicodeDecodeError as err:
        return UndecodableRecord(f"record is not valid UTF-8: {err}", text)
    except ValueError as err:
        return UndecodableRecord(f"record not decodable: {str(err).split(';')[0]}", text)


def retry_after_seconds(value: str | None, date: str | None = None) -> float | None:
    """A ``Retry-After`` header in seconds: delta-seconds ("120") or an HTTP-date, counted from
    the response's ``Date`` when it has one (the server's clock), else from ours. A date in
    the past is 0; "inf" is infinity (over any cap); a negative, "nan" or unreadable value is
    None (the client's own backoff applies)."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        if math.isinf(seconds) and seconds > 0:
            return seconds  # "wait for ever": over any cap
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    when, now = _http_date(value), _http_date(date) or datetime.now(timezone.utc)
    return None if when is None else max(0.0, (when - now).total_seconds())


def _http_date(text: str | None) -> datetime | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
