"""A paged JSON client for the source APIs: API key header, retries, backoff, Retry-After.

Transient trouble (connection errors, timeouts, 429, 5xx, a body cut short) is retried
with exponential backoff, honouring Retry-After. Anything else, or trouble that
outlasts the retries, raises SourceError naming the dataset, the URL and what was wrong.
"""
from __future__ import annotations

import json
import logging
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import msgspec
import requests

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {429, 500, 502, 503, 504}
BODY_CHUNK_BYTES = 1 << 20


class SourceError(RuntimeError):
    """A source API answered in a way the pipeline cannot use."""


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
    timeout_s: float = 60.0
    max_attempts: int = 6
    backoff_s: float = 0.5
    backoff_max_s: float = 30.0
    session: requests.Session = field(default_factory=requests.Session)
    sleep: callable = time.sleep

    def get_json(self, path: str, params: dict) -> tuple[str, bytes, dict]:
        """GET one JSON document; returns (url, raw body, parsed body)."""
        url = self.base_url.rstrip("/") + path
        for attempt in range(1, self.max_attempts + 1):
            problem, wait = None, None
            try:
                response = self.session.get(url, params=params, timeout=self.timeout_s, stream=True,
                                            headers={"X-API-Key": self.api_key,
                                                     "Accept": "application/json"})
                # Large reads: a page takes a few GIL hand-offs, not hundreds, when the body
                # arrives in a thread while another thread is busy (see taza.load.prefetch).
                body = b"".join(response.iter_content(BODY_CHUNK_BYTES))
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as err:
                problem = f"{type(err).__name__}: {err}"
            else:
                full_url = response.url
                if response.status_code in RETRYABLE_STATUS:
                    problem = f"HTTP {response.status_code}"
                    wait = _retry_after(response)
                elif response.status_code != 200:
                    raise SourceError(f"{self.dataset}: GET {full_url} answered HTTP "
                                      f"{response.status_code}: {body[:300].decode(errors='replace')}")
                else:
                    try:
                        return full_url, body, decode_json(body)
                    except ValueError as err:
                        problem = f"malformed JSON ({err}; {len(body)} bytes received)"
            if attempt == self.max_attempts:
                raise SourceError(f"{self.dataset}: GET {url} params={params} failed after "
                                  f"{attempt} attempts: {problem}")
            delay = wait if wait is not None else self._backoff(attempt)
            log.warning("%s: GET %s %s: %s; retry %d/%d in %.1fs", self.dataset, url, params, problem,
                        attempt, self.max_attempts - 1, delay)
            self.sleep(delay)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        delay = min(self.backoff_max_s, self.backoff_s * 2 ** (attempt - 1))
        return delay * (0.5 + random.random() / 2)

    def iter_pages(self, path: str, params: dict) -> Iterator[Page]:
        """Follow ``next_page`` (numbered paging) or ``next_cursor`` (cursor paging)."""
        params = dict(params)
        number = 1
        while True:
            url, body, doc = self.get_json(path, params)
            records = doc.get("data") if isinstance(doc, dict) else None
            if not isinstance(records, list):
                raise SourceError(f"{self.dataset}: GET {url}: malformed page, expected an object "
                                  f"with a 'data' list, got {str(doc)[:200]!r}")
            yield Page(url=url, body=body, records=records, number=number)
            if doc.get("next_cursor"):
                params["cursor"] = doc["next_cursor"]
            elif doc.get("next_page"):
                params["page"] = doc["next_page"]
            else:
                return
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


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
