"""How a KPI value reads to a person, the same in the terminal tables and the HTML reports."""
from __future__ import annotations

from decimal import Decimal


def format_value(value: Decimal | None, unit: str) -> str:
    """Shares as percent, ratios with two decimals, large counts in M / bn."""
    if value is None:
        return "-"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "ratio":
        return f"{value:.2f}"
    if abs(value) >= 1_000_000_000:
        return f"{value / 1_000_000_000:.2f} bn"
    if abs(value) >= 10_000_000:
        return f"{value / 1_000_000:.1f} M"
    return f"{value:,.0f}" if value == value.to_integral_value() or abs(value) >= 100 else f"{value:,.2f}"
