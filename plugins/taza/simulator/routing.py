"""What the API families share: the request they receive, errors, parameters, paging.

A dataset's route (built by ``dataset.route``) is a handler: it takes an
:class:`ApiRequest` and returns the JSON body (a dict, or :class:`RawJson` bytes), or
raises :class:`ApiError`.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from taza.simulator.config import SimulatorConfig

DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 5000

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_YEAR = re.compile(r"\d{4}")


class ApiError(Exception):
    """A client-facing error: answered with ``status`` and ``{"error": message}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class ApiRequest:
    path: str
    params: Mapping[str, str]  # query parameters, each given at most once
    config: SimulatorConfig


class RawJson(bytes):
    """A pre-encoded JSON body, sent as is: a high-volume feed formats its page as one
    string instead of building and encoding dicts."""


Handler = Callable[[ApiRequest], dict | RawJson]


def month_param(request: ApiRequest, name: str) -> str:
    """A required 'YYYY-MM' query parameter."""
    value = request.params.get(name)
    if value is None:
        raise ApiError(400, f"query parameter {name} is required (YYYY-MM)")
    if not _MONTH.fullmatch(value):
        raise ApiError(400, f"query parameter {name} must be a month YYYY-MM, got {value!r}")
    return value


def year_param(request: ApiRequest, name: str) -> int:
    """A required 'YYYY' query parameter."""
    value = request.params.get(name)
    if value is None:
        raise ApiError(400, f"query parameter {name} is required (YYYY)")
    if not _YEAR.fullmatch(value):
        raise ApiError(400, f"query parameter {name} must be a year YYYY, got {value!r}")
    return int(value)


def int_param(request: ApiRequest, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    value = request.params.get(name)
    if value is None:
        return default
    bounds = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
    if not re.fullmatch(r"[0-9]+", value) or int(value) < minimum or (maximum is not None and int(value) > maximum):
        raise ApiError(400, f"query parameter {name} must be an integer {bounds}, got {value!r}")
    return int(value)


def paged(request: ApiRequest, dataset: str, records: Sequence[dict], **echo: object) -> dict:
    """One page of ``records`` (``page`` 1-based, ``page_size`` up to MAX_PAGE_SIZE).

    ``echo`` holds the request's filters, repeated in the body. A page past the last is
    an error; page 1 of an empty result is an empty page.
    """
    page_size = int_param(request, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    page = int_param(request, "page", 1, 1)
    total_pages = math.ceil(len(records) / page_size)
    if page > max(total_pages, 1):
        raise ApiError(400, f"query parameter page must be between 1 and {max(total_pages, 1)}, got {page}")
    return {
        "dataset": dataset,
        **echo,
        "page": page,
        "page_size": page_size,
        "total_records": len(records),
        "total_pages": total_pages,
        "next_page": page + 1 if page < total_pages else None,
        "data": list(records[(page - 1) * page_size : page * page_size]),
    }
