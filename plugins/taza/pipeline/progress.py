"""Progress of a long landing, written to the task log as an event a program can read.

Ingestion logs one event per landed window (``landing_message``); whoever watches the log
(the demo, a log search) reads it back with ``read_landing_event`` instead of matching a
sentence, so the two cannot drift apart: both sides live here.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

MARKER = "taza.progress"


@dataclass(frozen=True)
class LandingProgress:
    """``done`` of ``total`` windows of a run landed, the last one ``window``."""

    dataset: str
    window: str
    unit: str
    done: int
    total: int
    records: int


def landing_message(event: LandingProgress) -> str:
    """The log message that carries the event: the marker, then the event as JSON."""
    return f"{MARKER} {json.dumps(asdict(event))}"


def read_landing_event(line: str) -> LandingProgress | None:
    """The event in a log line (whatever the log format around the message), else None."""
    start = line.find(MARKER + " {")
    if start < 0:
        return None
    try:
        fields, _ = json.JSONDecoder().raw_decode(line, start + len(MARKER) + 1)
        return LandingProgress(**fields)
    except (ValueError, TypeError):
        return None
