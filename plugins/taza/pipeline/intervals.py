"""Splitting a data interval into the monthly batches the regional feeds report in."""
from __future__ import annotations

from datetime import datetime, timezone


def _month_start(moment: datetime) -> datetime:
    return datetime(moment.year, moment.month, 1, tzinfo=timezone.utc)


def next_month(moment: datetime) -> datetime:
    return datetime(moment.year + moment.month // 12, moment.month % 12 + 1, 1, tzinfo=timezone.utc)


def months_between(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Whole calendar months [m, m+1) that start inside [start, end)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("interval bounds must be timezone-aware")
    month = _month_start(start.astimezone(timezone.utc))
    if month < start:
        month = next_month(month)
    months = []
    while month < end:
        months.append((month, next_month(month)))
        month = next_month(month)
    return months


def parse_month(value: str) -> datetime:
    """'YYYY-MM' -> the first instant of that month in UTC."""
    try:
        return datetime.strptime(value, "%Y-%m").replace(tzinfo=timezone.utc)
    except ValueError:
        raise ValueError(f"expected a month as 'YYYY-MM', got {value!r}") from None


def last_complete_month_end(now: datetime) -> datetime:
    """The start of the current month: everything before it is complete."""
    return _month_start(now)
