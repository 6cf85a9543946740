"""Serving a dataset by period: which years are complete, and the route handlers for the
three request styles (a month range, a year range, a registry snapshot).

A handler gets the dataset's records for the request's config, sorted by the filter
field, and pages the slice the request asks for; both bounds are inclusive.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from taza.simulator.config import SimulatorConfig
from taza.simulator.routing import ApiError, ApiRequest, Handler, month_param, paged, year_param

Records = Callable[[SimulatorConfig], Sequence[dict]]


def last_complete_year(config: SimulatorConfig) -> int:
    """Annual data exists for whole years only: the year before ``today``'s."""
    return config.today.year - 1


def monthly_route(dataset: str, records: Records, month_of: Callable[[dict], str]) -> Handler:
    """``period_from``/``period_to`` ('YYYY-MM') select records by ``month_of(record)``."""

    def handle(request: ApiRequest) -> dict:
        period_from = month_param(request, "period_from")
        period_to = month_param(request, "period_to")
        if period_from > period_to:
            raise ApiError(400, f"query parameter period_from ({period_from}) must not be after "
                                f"period_to ({period_to})")
        served = records(request.config)
        first = bisect_left(served, period_from, key=month_of)
        last = bisect_right(served, period_to, key=month_of)
        return paged(request, dataset, served[first:last], period_from=period_from, period_to=period_to)

    return handle


def annual_route(dataset: str, records: Records, year_field: str) -> Handler:
    """``year_from``/``year_to`` ('YYYY') select records by their ``year_field``."""

    def handle(request: ApiRequest) -> dict:
        year_from = year_param(request, "year_from")
        year_to = year_param(request, "year_to")
        if year_from > year_to:
            raise ApiError(400, f"query parameter year_from ({year_from}) must not be after year_to ({year_to})")
        served = records(request.config)
        first = bisect_left(served, year_from, key=lambda r: r[year_field])
        last = bisect_right(served, year_to, key=lambda r: r[year_field])
        return paged(request, dataset, served[first:last], year_from=year_from, year_to=year_to)

    return handle


def snapshot_route(dataset: str, records: Records) -> Handler:
    """No filter: the registry as it is on the config's ``today``."""

    def handle(request: ApiRequest) -> dict:
        return paged(request, dataset, records(request.config))

    return handle
