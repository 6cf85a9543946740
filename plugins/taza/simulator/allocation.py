"""Integer splits that add up exactly, so calibrated totals survive the breakdown."""
from __future__ import annotations

import math
from collections.abc import Sequence


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into non-negative integers proportional to ``weights``.

    The parts sum to ``total`` exactly (Hamilton's method: floor every quota, then hand
    the leftover units to the largest fractional remainders; ties go to the earlier
    position, so the result is deterministic).
    """
    if total < 0:
        raise ValueError(f"total must be >= 0, got {total}")
    if any(w < 0 for w in weights):
        raise ValueError("weights must be >= 0")
    weight_sum = sum(weights)
    if weight_sum == 0:
        if total == 0:
            return [0] * len(weights)
        raise ValueError(f"cannot split {total} over zero weights")
    quotas = [total * w / weight_sum for w in weights]
    parts = [math.floor(q) for q in quotas]
    leftover = total - sum(parts)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (parts[i] - quotas[i], i))
    for i in by_remainder[:leftover]:
        parts[i] += 1
    return parts
