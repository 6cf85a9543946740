"""Industry API family: the paged datasets (the telemetry feed is ``telemetry``).

    /industry/v1/enterprises       registry snapshot           page, page_size
    /industry/v1/commitments       annual tree commitments     year_from, year_to (+ paging)
    /industry/v1/plantings         monthly company plantings   period_from, period_to (+ paging)
    /industry/v1/emissions-annual  annual emission reports     year_from, year_to (+ paging)
    /industry/v1/ams-stacks        AMS stack registry snapshot page, page_size (module ``ams_stacks``)

Records come from ``enterprises``, ``greening`` and ``emissions``; this module only
reads the parameters, filters and pages.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from taza.simulator import ams_stacks
from taza.simulator.emissions import emission_records
from taza.simulator.enterprises import enterprise_records, snapshot_date
from taza.simulator.greening import commitment_records, planting_records
from taza.simulator.routing import ApiError, ApiRequest, Handler, month_param, paged, year_param


def _enterprises_route(request: ApiRequest) -> dict:
    return paged(request, "enterprises", enterprise_records(request.config),
                 as_of=snapshot_date(request.config).isoformat())


def _commitments_route(request: ApiRequest) -> dict:
    return _annual(request, "commitments", commitment_records(request.config))


def _emissions_route(request: ApiRequest) -> dict:
    return _annual(request, "emissions_annual", emission_records(request.config))


def _plantings_route(request: ApiRequest) -> dict:
    period_from = month_param(request, "period_from")
    period_to = month_param(request, "period_to")
    if period_from > period_to:
        raise ApiError(400, f"query parameter period_from ({period_from}) must not be after period_to ({period_to})")
    records = _between(planting_records(request.config), "period", period_from, period_to)
    return paged(request, "plantings", records, period_from=period_from, period_to=period_to)


ROUTES: dict[str, Handler] = {
    "/industry/v1/enterprises": _enterprises_route,
    "/industry/v1/commitments": _commitments_route,
    "/industry/v1/plantings": _plantings_route,
    "/industry/v1/emissions-annual": _emissions_route,
    **ams_stacks.ROUTES,
}


def _annual(request: ApiRequest, dataset: str, records: Sequence[dict]) -> dict:
    year_from = year_param(request, "year_from")
    year_to = year_param(request, "year_to")
    if year_from > year_to:
        raise ApiError(400, f"query parameter year_from ({year_from}) must not be after year_to ({year_to})")
    return paged(request, dataset, _between(records, "year", year_from, year_to), year_from=year_from, year_to=year_to)


def _between(records: Sequence[dict], field: str, first: object, last: object) -> Sequence[dict]:
    """The records (sorted by ``field``) with first <= field <= last."""
    key = lambda r: r[field]  # noqa: E731
    return records[bisect_left(records, first, key=key):bisect_right(records, last, key=key)]
