"""How a source dataset is described: API path, record schema, natural key, raw table.

A dataset's fields are the contract with the source system. The loader types every
record against them; a record that does not fit is quarantined with the reason, and a
page whose records all lack a required field is treated as a schema change.
"""
from __future__ import annotations

from dataclasses import dataclass

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

REQUEST_STYLES = ("monthly", "annual", "snapshot", "watermark")

PROVENANCE_COLUMNS = ("_batch_id", "_loaded_at", "_source_url", "_record_hash")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool = True


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
