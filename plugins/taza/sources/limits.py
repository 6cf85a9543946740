"""How far the source client goes with a source that misbehaves: the bounds of one walk.

Without them a hostile or broken source can hold a task for ever: a ``Retry-After`` of a
day, a cursor that keeps coming back, a body without end, a server that drips a byte at
a time (each read is quick, so a per-read timeout never fires). Each bound has a default
fit for the real sources and the bundled simulator at scale 1, and an environment
variable to change it (tests shorten them):

=============================== ========================================== ============
variable                        bound                                      default
=============================== ========================================== ============
TAZA_SOURCE_RETRY_AFTER_MAX_S   longest ``Retry-After`` the client waits;  300
                                a longer one fails the request at once
TAZA_SOURCE_RETRY_BUDGET_S      time one request (all its attempts and     900
                                waits) may take before it gives up
TAZA_SOURCE_REQUEST_DEADLINE_S  time one attempt may take, headers to the  300
                                body's last byte
TAZA_SOURCE_MAX_PAGES           pages one walk (one batch) may have        20000
TAZA_SOURCE_MAX_BODY_BYTES      size of one response body                  268435456
=============================== ========================================== ============

A telemetry page (10,000 readings) is a few MB and a walk of the whole history at
scale 1 about 2,800 pages, so the defaults leave a wide margin over honest sources.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

RETRY_AFTER_MAX_S = 300.0
RETRY_BUDGET_S = 900.0
REQUEST_DEADLINE_S = 300.0
MAX_PAGES = 20_000
MAX_BODY_BYTES = 256 << 20


@dataclass(frozen=True)
class SourceLimits:
    retry_after_max_s: float = RETRY_AFTER_MAX_S
    retry_budget_s: float = RETRY_BUDGET_S
    request_deadline_s: float = REQUEST_DEADLINE_S
    max_pages: int = MAX_PAGES
    max_body_bytes: int = MAX_BODY_BYTES

    @classmethod
    def from_environment(cls) -> "SourceLimits":
        return cls(retry_after_max_s=_setting("TAZA_SOURCE_RETRY_AFTER_MAX_S", RETRY_AFTER_MAX_S, float),
                   retry_budget_s=_setting("TAZA_SOURCE_RETRY_BUDGET_S", RETRY_BUDGET_S, float),
                   request_deadline_s=_setting("TAZA_SOURCE_REQUEST_DEADLINE_S", REQUEST_DEADLINE_S, float),
                   max_pages=_setting("TAZA_SOURCE_MAX_PAGES", MAX_PAGES, int),
                   max_body_bytes=_setting("TAZA_SOURCE_MAX_BODY_BYTES", MAX_BODY_BYTES, int))


def _setting(name: str, default, kind):
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not value > 0 or value == float("inf"):
        raise ValueError(f"{name} must be a positive finite {kind.__name__}, got {text!r} "
                         f"(unset it for the default {default})")
    return value
