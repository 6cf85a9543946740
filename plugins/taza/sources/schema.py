"""How a source dataset is described: API path, record schema, natural key, raw table.

A dataset's fields are the contract with the source system. The loader types every
record against them; a record that does not fit is quarantined with the reason, and a
page whose records all lack a required field is treated as a schema change.

Limits a value must keep to, besides its type (the loader quarantines the record
otherwise, naming field, value and limit):

- text: no NUL character (PostgreSQL text cannot hold one), no lone surrogate (not
  UTF-8), at most ``max_length`` characters (default ``TEXT_MAX_LENGTH``);
- int: within bigint, the raw column's type;
- numeric: finite, and fitting ``digits`` = (precision, scale), the numeric type
  staging casts the column to (``numeric(12, 2)`` takes |value| < 10^10 once rounded);
- date, month, timestamp: inside the plausible window ``[EARLIEST_PLAUSIBLE, landing
  time + FUTURE_MARGIN]``. A date field is a past event (a report's period or
  submission, a detection, an elimination, an installation, a reading) unless it is
  ``planned``: a date set ahead (when a deferred stack must start reporting), which may
  lie years after the landing, up to ``PLANNED_LATEST``. The margin allows a source
  clock that runs ahead and reports stamped a few days ahead (the simulator stamps the
  newest month's reports up to 9 days after the month ends); a year 2099 is far outside
  it. The GX suites bound ``reported_at`` and ``eliminated_at`` in raw by the same rule
  (their queries repeat the 14 days).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

# Postgres type of each logical field type used in the raw tables.
PG_TYPES = {
    "text": "text",
    "int": "bigint",
    "numeric": "numeric",
    "date": "date",
    "month": "date",  # 'YYYY-MM' in the API, first day of the month in the warehouse
    "timestamp": "timestamptz",
    "bool": "boolean",
}

TEXT_MAX_LENGTH = 500  # characters: names, districts, codes; a 20 kB "name" is an error
BIGINT_MIN, BIGINT_MAX = -2**63, 2**63 - 1
EARLIEST_PLAUSIBLE = datetime(2000, 1, 1, tzinfo=timezone.utc)
FUTURE_MARGIN = timedelta(days=14)
PLANNED_LATEST = datetime(2100, 12, 31, tzinfo=timezone.utc)  # the latest a planned date may be

REQUEST_STYLES = ("monthly", "annual", "snapshot", "watermark")

PROVENANCE_COLUMNS = ("_batch_id", "_loaded_at", "_source_url", "_record_hash")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool = True
    max_length: int = TEXT_MAX_LENGTH  # text only
    digits: tuple[int, int] | None = None  # numeric only: (precision, scale) kept downstream
    planned: bool = False  # date only: set ahead, so it may lie after the landing (up to PLANNED_LATEST)

    @property
    def numeric_limit(self) -> Decimal | None:
        """Exclusive bound on |value| of a numeric field: what rounds, at its scale, to
        less than 10^(precision - scale)."""
        if self.digits is None:
            return None
        precision, scale = self.digits
        return Decimal(10) ** (precision - scale) - Decimal(5) / Decimal(10) ** (scale + 1)


def plausible_window(landed_at: datetime) -> tuple[datetime, datetime]:
    """[earliest, latest] a date or timestamp of a record landed at ``landed_at`` may take."""
    return EARLIEST_PLAUSIBLE, landed_at + FUTURE_MARGIN


@dataclass(frozen=True)
class Dataset:
    """One source entity, landed in ``raw.<source>__<entity>``."""

    source: str  # the API family, also the Airflow connection suffix: taza_source_<source>
    entity: str
    path: str  # path under the source's base URL
    fields: tuple[Field, ...]
    natural_key: tuple[str, ...]
    period_field: str | None  # the field that places a record inside a data interval
    # How the API is asked for an interval, and so how batches are cut:
    #   monthly   period_from/period_to 'YYYY-MM', one batch per month
    #   annual    year_from/year_to 'YYYY', one batch per year
    #   snapshot  no filter: the registry as it is now, one batch per run
    #   watermark since/until timestamps with a cursor, incremental from the last load
    request: str = "monthly"
    # Records that change after landing (a dump eliminated months after its detection
    # month landed): every run that lands a period also refetches this many periods
    # before it, landing each as a new batch that supersedes the earlier one. Set it to
    # the longest the source keeps changing a record (monthly and annual styles only).
    lookback_periods: int = 0

    def __post_init__(self) -> None:
        if self.request not in REQUEST_STYLES:
            raise ValueError(f"{self.source}__{self.entity}: request must be one of {REQUEST_STYLES}")
        if self.lookback_periods < 0 or (self.lookback_periods and self.request not in ("monthly", "annual")):
            raise ValueError(f"{self.source}__{self.entity}: lookback_periods must be >= 0, and only "
                             f"monthly or annual datasets have periods to look back on")

    @property
    def name(self) -> str:
        return f"{self.source}__{self.entity}"

    @property
    def raw_table(self) -> str:
        return f"raw.{self.name}"

    @property
    def quarantine_table(self) -> str:
        return f"quarantine.{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def asset_uri(self) -> str:
        """Identifier of the raw table as an Airflow Asset."""
        return f"taza://warehouse/raw/{self.name}"
