"""A paged JSON client for the source APIs: API key header, retries, backoff, Retry-After.

Transient trouble (connection errors, timeouts, 429, 5xx, a body cut short) is retried
with exponential backoff, honouring Retry-After. Anything else, or trouble that
outlasts the retries, raises SourceError naming the dataset, the URL and what was wrong.
"""
from __future__ import annotations

import json
import logging
import random
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


def decode_json(body: bytes):
    """``json.loads(body)``, faster: msgspec gives the same objects for standard JSON (about
    twice as fast on large pages); what it refuses (NaN, lone surrogates, numbers out of
    float range...) is left to the json module, which accepts it or raises ValueError."""
    try:
        return _DECODER.decode(body)
    except msgspec.DecodeError:
        return json.loads(body)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
