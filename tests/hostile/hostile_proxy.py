"""A hostile HTTP proxy in front of the source simulator, and the ledger of what it did.

From a seed, each request draws (deterministically from the seed, the URL and how many
times that URL was asked before) whether it gets a transport fault (5xx, 429 with a
Retry-After, a body cut short, a slow answer) and, when it is answered, which of its
records are mutated (negative, absurd, wrong type, NUL byte, huge string, dropped or
renamed key, duplicate, far-future date, SQL text). Every answer is written to the
ledger: how many records it carried and which were mutated how, so a reconciliation can
check each of them arrived in raw or quarantine.

A client reaches the simulator's ``/<path>`` as ``<proxy>/<tag>/<path>``: the tag names
the landing attempt in the ledger (the simulator never sees it).
"""
from __future__ import annotations

import json
import random
import re
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TRANSPORT_FAULTS = ("server_error", "rate_limit", "truncated", "slow")
MUTATIONS = ("negative", "absurd", "wrong_type", "nul", "huge_string", "drop_key", "rename_key",
             "duplicate", "far_future", "sql_text")
CANARY_TABLE = "raw.hostile_canary"
SQL_TEXT = f"'); DROP TABLE {CANARY_TABLE}; --"
HUGE_STRING_CHARS = 20_000
SLOW_S = 0.3
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?")


@dataclass
class Answer:
    """One answer of the proxy: to which request, what fault, how many records, which mutated."""

    tag: str
    path: str
    query: str
    asked: int  # 1 for the first request of this URL, 2 for its retry...
    fault: str | None  # a transport fault, or None
    status: int
    records: int  # records in a body delivered whole (0 for a fault that withholds it)
    mutations: list[tuple[int, str]] = field(default_factory=list)  # (record index, kind)


class HostileProxy:
    def __init__(self, upstream: str, seed: int, fault_rate: float = 0.08, mutation_rate: float = 0.01,
                 ledger_path: Path | None = None):
        self.upstream, self.seed = upstream.rstrip("/"), seed
        self.fault_rate, self.mutation_rate = fault_rate, mutation_rate
        self.ledger_path = ledger_path
        self.answers: list[Answer] = []
        self._asked: Counter = Counter()
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                proxy._handle(self)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def answers_of(self, tag: str) -> list[Answer]:
        with self._lock:
            return [a for a in self.answers if a.tag == tag]

    # -- one request -------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        tag, _, rest = handler.path.lstrip("/").partition("/")
        target = "/" + rest
        path, _, query = target.partition("?")
        with self._lock:
            self._asked[target] += 1
            asked = self._asked[target]
        draw = random.Random(f"{self.seed}|{target}|{asked}")
        fault = draw.choice(TRANSPORT_FAULTS) if draw.random() < self.fault_rate else None
        answer = Answer(tag, path, query, asked, fault, 200, 0)
        if fault == "server_error":
            answer.status = draw.choice((500, 502, 503, 504))
            self._send(handler, answer, b'{"error": "hostile proxy: server error"}')
            return
        if fault == "rate_limit":
            retry_after = draw.choice(("0", "0.1", formatdate(time.time(), usegmt=True)))
            answer.status = 429
            self._send(handler, answer, b'{"error": "hostile proxy: slow down"}', {"Retry-After": retry_after})
            return
        if fault == "slow":
            time.sleep(SLOW_S)
        status, body = self._forward(handler, target)
        answer.status = status
        if status == 200:
            body, answer.records, answer.mutations = self._mutate(body, draw)
        if fault == "truncated":  # the promised length, half the bytes: the client sees a read cut short
            answer.records, answer.mutations = 0, []
            self._send(handler, answer, body, declared_length=len(body), cut=len(body) // 2)
            return
        self._send(handler, answer, body)

    def _forward(self, handler: BaseHTTPRequestHandler, target: str) -> tuple[int, bytes]:
        request = urllib.request.Request(self.upstream + target,
                                         headers={"X-API-Key": handler.headers.get("X-API-Key", "")})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def _mutate(self, body: bytes, draw: random.Random) -> tuple[bytes, int, list[tuple[int, str]]]:
        doc = json.loads(body)
        records = doc.get("data") if isinstance(doc, dict) else None
        if not isinstance(records, list):
            return body, 0, []
        out, mutations = [], []
        for record in records:
            if isinstance(record, dict) and draw.random() < self.mutation_rate:
                kind = draw.choice(MUTATIONS)
                mutated, kind = mutate_record(record, kind, draw)
                out.append(mutated)
                mutations.append((len(out) - 1, kind))
                if kind == "duplicate":
                    out.append(dict(record))
                continue
            out.append(record)
        doc["data"] = out
        return json.dumps(doc, ensure_ascii=False).encode(), len(out), mutations

    def _send(self, handler, answer: Answer, body: bytes, headers: dict | None = None,
              declared_length: int | None = None, cut: int | None = None) -> None:
        self._record(answer)
        try:
            handler.send_response(answer.status)
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(declared_length if declared_length is not None else len(body)))
            handler.end_headers()
            handler.wfile.write(body if cut is None else body[:cut])
            if cut is not None:
                handler.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on this answer (e.g. its own bounds)

    def _record(self, answer: Answer) -> None:
        with self._lock:
            self.answers.append(answer)
            if self.ledger_path:
                with self.ledger_path.open("a") as ledger:
                    ledger.write(json.dumps(asdict(answer)) + "\n")


def mutate_record(record: dict, kind: str, draw: random.Random) -> tuple[dict, str]:
    """A mutated copy of ``record`` and the kind applied (``drop_key`` when the record has no
    field of the kind's type)."""
    record = dict(record)
    numbers = [k for k, v in record.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    texts = [k for k, v in record.items() if isinstance(v, str)]
    dates = [k for k in texts if _DATE.match(record[k])]
    if kind in ("negative", "absurd") and numbers:
        key = draw.choice(numbers)
        value = record[key]
        record[key] = -abs(value) - 1 if kind == "negative" else abs(value) * 1000 + 10**7
    elif kind == "wrong_type" and record:
        record[draw.choice(sorted(record))] = draw.choice(("n/a", {"value": 1}, [1, 2], True))
    elif kind == "nul" and texts:
        key = draw.choice(texts)
        record[key] = record[key][:1] + "\x00" + record[key][1:]
    elif kind == "huge_string" and texts:
        key = draw.choice(texts)
        record[key] = record[key] + "x" * HUGE_STRING_CHARS
    elif kind == "far_future" and dates:
        key = draw.choice(dates)
        record[key] = "2099" + record[key][4:]
    elif kind == "sql_text" and texts:
        record[draw.choice(texts)] = SQL_TEXT
    elif kind == "rename_key" and record:
        key = draw.choice(sorted(record))
        record = {(k + "_renamed" if k == key else k): v for k, v in record.items()}
    elif kind == "duplicate":
        pass
    else:
        kind = "drop_key"
        if record:
            del record[draw.choice(sorted(record))]
    return record, kind
