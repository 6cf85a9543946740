"""Switchable faults of the simulated sources (the hook; no fault exists yet).

A server is started with a set of fault names. The server applies them to a response
between the route handler and the socket (``server._RequestHandler.do_GET``), so every
API family gets them for free. Names are checked at start so a typo fails loudly.
"""
from __future__ import annotations

from collections.abc import Iterable

KNOWN_FAULTS: frozenset[str] = frozenset()


def check_faults(faults: Iterable[str]) -> frozenset[str]:
    requested = frozenset(faults)
    unknown = requested - KNOWN_FAULTS
    if unknown:
        known = ", ".join(sorted(KNOWN_FAULTS)) or "none yet"
        raise ValueError(f"unknown simulator faults: {', '.join(sorted(unknown))} (known: {known})")
    return requested
