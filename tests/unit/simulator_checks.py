"""Helpers of the simulator's unit tests: record digests, determinism in a fresh process, API calls.

Run as a script (``python simulator_checks.py module:function ...``) it prints the digests
of those generators' records, which is how the fresh-process check computes them.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date

import requests

from taza.simulator import SimulatorConfig

KEY = "test-key"
# What the fresh-process determinism check generates from.
DETERMINISM_CONFIG = SimulatorConfig(seed=5, scale=0.5, api_key=KEY, today=date(2026, 6, 2))


def records_digest(records: list[dict]) -> str:
    """sha256 of the records as compact JSON: equal digests mean the same records in the same order."""
    return hashlib.sha256(json.dumps(records, separators=(",", ":")).encode()).hexdigest()


def digests_here(generators: list[Callable]) -> list[str]:
    return [records_digest(generate(DETERMINISM_CONFIG)) for generate in generators]


def digests_in_a_fresh_process(generators: list[Callable]) -> list[str]:
    """digests_here, computed by a new interpreter: another hash seed, nothing cached or shared."""
    names = [f"{generate.__module__}:{generate.__qualname__}" for generate in generators]
    done = subprocess.run([sys.executable, __file__, *names], capture_output=True, text=True, check=True)
    return done.stdout.split()


def api_get(simulator, path: str, params: dict | None = None, key: str | None = KEY) -> requests.Response:
    """GET a simulator path with the API key header (none when ``key`` is None)."""
    headers = {"X-API-Key": key} if key is not None else {}
    return requests.get(simulator.url + path, params=params, headers=headers, timeout=30)


if __name__ == "__main__":
    modules_and_names = (argument.split(":") for argument in sys.argv[1:])
    print(*digests_here([getattr(importlib.import_module(module), name) for module, name in modules_and_names]))
