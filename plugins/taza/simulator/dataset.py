"""A simulated dataset, declared in one object, and the one place its route is built.

A dataset module (``<family>/<dataset>.py``) declares a :class:`SimulatedDataset`:
its path, its request style, the records it serves and their totals. The family's
``__init__`` lists its datasets in ``DATASETS``; ``registry`` collects the families and
``server`` serves ``registry.ROUTES``.

Request styles (as ``taza.sources``' ``Dataset.request``), and what a request selects;
both bounds are inclusive, and every style but ``watermark`` pages with ``page`` and
``page_size`` (``routing.paged``):

    monthly    period_from, period_to ('YYYY-MM'): records whose ``filter_field``[:7] lies in the range
    annual     year_from, year_to ('YYYY'): records whose ``filter_field`` lies in the range
    snapshot   no filter: the register as it stands on the config's ``today``
    watermark  the dataset's own handler (``serve``): a cursor feed such as telemetry
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from taza.simulator.config import SimulatorConfig
from taza.simulator.routing import ApiError, ApiRequest, Handler, month_param, paged, year_param

REQUEST_PARAMS: Mapping[str, tuple[str, ...]] = {
    "monthly": ("period_from", "period_to", "page", "page_size"),
    "annual": ("year_from", "year_to", "page", "page_size"),
    "snapshot": ("page", "page_size"),
    "watermark": ("since", "until", "limit", "cursor"),
}


@dataclass(frozen=True, kw_only=True)
class SimulatedDataset:
    """One dataset the simulator serves.

    ``generate(config)`` gives the records served under ``config`` in API order (sorted
    by ``filter_field`` for monthly and annual datasets); for a ``watermark`` dataset,
    ``generate(config, since, until)`` gives the readings of that window and ``serve``
    is its handler. ``totals(config)``, if any, sums what is served (the calibrated
    figures the family tests hold it to). ``echo(config)`` adds fields to every page
    (e.g. a snapshot's ``as_of``).
    """

    name: str  # the body's "dataset"
    path: str
    request: str
    generate: Callable[..., Sequence[dict]]
    totals: Callable[[SimulatorConfig], object] | None = None
    filter_field: str | None = None
    echo: Callable[[SimulatorConfig], Mapping[str, object]] | None = None
    serve: Handler | None = None

    def __post_init__(self) -> None:
        if self.request not in REQUEST_PARAMS:
            raise ValueError(f"{self.name}: request must be one of {tuple(REQUEST_PARAMS)}, got {self.request!r}")
        if (self.filter_field is None) != (self.request in ("snapshot", "watermark")):
            raise ValueError(f"{self.name}: a filter_field is needed by, and only by, monthly and annual datasets")
        if (self.serve is None) != (self.request != "watermark"):
            raise ValueError(f"{self.name}: a handler (serve) is needed by, and only by, a watermark dataset")

    @property
    def params(self) -> tuple[str, ...]:
        """The query parameters a request may give."""
        return REQUEST_PARAMS[self.request]

    @property
    def handler(self) -> Handler:
        return route(self)


def route(dataset: SimulatedDataset) -> Handler:
    """The route handler of ``dataset``: the one place routes are built."""
    if dataset.serve is not None:
        return dataset.serve
    if dataset.request == "monthly":
        return _ranged(dataset, month_param, "period", lambda r, field=dataset.filter_field: r[field][:7])
    if dataset.request == "annual":
        return _ranged(dataset, year_param, "year", lambda r, field=dataset.filter_field: r[field])

    def handle_snapshot(request: ApiRequest) -> dict:
        return paged(request, dataset.name, dataset.generate(request.config), **_echo(dataset, request))

    return handle_snapshot


def route_table(datasets: Sequence[SimulatedDataset]) -> dict[str, Handler]:
    """GET path -> handler; a path served twice is an error."""
    table: dict[str, Handler] = {}
    for dataset in datasets:
        if dataset.path in table:
            raise ValueError(f"two datasets are served on {dataset.path}")
        table[dataset.path] = route(dataset)
    return table


def _ranged(dataset: SimulatedDataset, param: Callable[[ApiRequest, str], object], prefix: str,
            key: Callable[[dict], object]) -> Handler:
    """``<prefix>_from``/``<prefix>_to`` select the records by ``key(record)``."""
    first_name, last_name = f"{prefix}_from", f"{prefix}_to"

    def handle(request: ApiRequest) -> dict:
        first = param(request, first_name)
        last = param(request, last_name)
        if first > last:
            raise ApiError(400, f"query parameter {first_name} ({first}) must not be after {last_name} ({last})")
        served = dataset.generate(request.config)
        selected = served[bisect_left(served, first, key=key):bisect_right(served, last, key=key)]
        return paged(request, dataset.name, selected, **{first_name: first, last_name: last},
                     **_echo(dataset, request))

    return handle


def _echo(dataset: SimulatedDataset, request: ApiRequest) -> Mapping[str, object]:
    return dataset.echo(request.config) if dataset.echo is not None else {}
