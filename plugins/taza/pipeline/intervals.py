"""Cutting a data interval into the monthly or annual periods the sources report in.

A period belongs to the run whose interval contains the period's END: the run for
[2025-01-31, 2025-02-01) lands January 2025, the run for the December 2024 interval
lands the year 2024. So a daily, monthly or whole-history run only ever asks for
periods that are complete, and each period lands in exactly one scheduled run.
"""
from __future__ import annotations

from datetime import datetime, timezone


def next_month(moment: datetime) -> datetime:
    return datetime(moment.year + moment.month // 12, moment.month % 12 + 1, 1, tzinfo=timezone.utc)


def months_before(month: datetime, months: int) -> datetime:
    """The first instant of the month ``months`` calendar months before ``month``'s (UTC)."""
    index = month.year * 12 + month.month - 1 - months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=timezone.utc)


def _require_aware(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("interval bounds must be timezone-aware")


def months_ending_within(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Calendar months [m, m+1) whose end lies in (start, end]."""
    _require_aware(start, end)
    start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    month = datetime(start.year, start.month, 1, tzinfo=timezone.utc)
    months = []
    while next_month(month) <= end:
        if next_month(month) > start:
            months.append((month, next_month(month)))
        month = next_month(month)
    return months


def years_ending_within(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Calendar years [y, y+1) whose end lies in (start, end]."""
    _require_aware(start, end)
    start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    return [(datetime(year, 1, 1, tzinfo=timezone.utc), datetime(year + 1, 1, 1, tzinfo=timezone.utc))
            for year in range(start.year - 1, end.year + 1)
            if start < datetime(year + 1, 1, 1, tzinfo=timezone.utc) <= end]


def parse_month(value: str) -> datetime:
    """'YYYY-MM' -> the first instant of that month in UTC."""
    try:
        return datetime.strptime(value, "%Y-%m").replace(tzinfo=timezone.utc)
    except ValueError:
        raise ValueError(f"expected a month as 'YYYY-MM', got {value!r}") from None


def last_complete_month_end(now: datetime) -> datetime:
    """The start of the current month: everything before it is complete."""
    return datetime(now.year, now.month, 1, tzinfo=timezone.utc)
