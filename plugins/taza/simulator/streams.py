"""Named random streams: one independent generator per purpose.

Adding or removing a draw in one stream never shifts another, so a change to one
dataset's generation leaves every other dataset byte-identical.
"""
from __future__ import annotations

import random


def stream(seed: int, *labels: object) -> random.Random:
    """The generator for ``labels`` under ``seed`` (string-seeded, so stable across runs)."""
    return random.Random(":".join(map(str, (seed, *labels))))
