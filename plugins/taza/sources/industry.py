"""Datasets of the industry API family (enterprise registry, greening, emissions, AMS)."""
from __future__ import annotations

from taza.sources.schema import Dataset, Field

ENTERPRISES = Dataset(
    source="industry",
    entity="enterprises",
    path="/industry/v1/enterprises",
    fields=(
        Field("bin", "text"),
        Field("name", "text"),
        Field("holding", "text", required=False),
        Field("region_kato", "text"),
        Field("sector", "text"),
        Field("hazard_category", "int"),
        Field("ams_obliged", "bool"),
        Field("ams_obliged_since", "date", required=False),
        Field("ams_installed", "bool"),
        Field("ams_installed_at", "date", required=False),
        Field("ams_connected", "bool"),
        Field("ams_connected_at", "date", required=False),
        Field("ams_deferred_to", "int", required=False),
    ),
    natural_key=("bin",),
    period_field=None,
    request="snapshot",
)

COMMITMENTS = Dataset(
    source="industry",
    entity="commitments",
    path="/industry/v1/commitments",
    fields=(
        Field("commitment_id", "text"),
        Field("bin", "text"),
        Field("year", "int"),
        Field("trees_committed", "int"),
        Field("area_committed_ha", "numeric", digits=(14, 2)),
    ),
    natural_key=("commitment_id",),
    period_field="year",
    request="annual",
    # A commitment may be revised after the year's audit, in the spring of the next year:
    # the run that lands the next year refetches this one.
    lookback_periods=1,
)

PLANTINGS = Dataset(
    source="industry",
    entity="plantings",
    path="/industry/v1/plantings",
    fields=(
        Field("planting_id", "text"),
        Field("bin", "text"),
        Field("region_kato", "text"),
        Field("period", "month"),
        Field("trees_planted", "int"),
        Field("area_ha", "numeric", digits=(14, 2)),
    ),
    natural_key=("planting_id",),
    period_field="period",
    request="monthly",
)

EMISSIONS_ANNUAL = Dataset(
    source="industry",
    entity="emissions_annual",
    path="/industry/v1/emissions-annual",
    fields=(
        Field("report_id", "text"),
        Field("bin", "text"),
        Field("region_kato", "text"),
        Field("year", "int"),
        Field("pollutant", "text"),
        Field("emissions_t", "numeric", digits=(14, 1)),
    ),
    natural_key=("report_id",),
    period_field="year",
    request="annual",
)

TELEMETRY = Dataset(
    source="industry",
    entity="telemetry",
    path="/industry/v1/telemetry",
    fields=(
        Field("reading_id", "text"),
        Field("bin", "text"),
        Field("stack_id", "text"),
        Field("pollutant", "text"),
        Field("reading_at", "timestamp"),
        Field("value_mg_m3", "numeric", digits=(12, 2)),
        Field("limit_mg_m3", "numeric", digits=(12, 2)),
        Field("flow_m3_h", "numeric", digits=(14, 1)),
        Field("status", "text"),
    ),
    natural_key=("reading_id",),
    period_field="reading_at",
    request="watermark",
)

AMS_STACKS = Dataset(
    source="industry",
    entity="ams_stacks",
    path="/industry/v1/ams-stacks",
    fields=(
        Field("registry_id", "text"),
        Field("stack_id", "text"),
        Field("bin", "text"),
        Field("region_kato", "text"),
        Field("pollutant", "text"),
        Field("registered_on", "date"),
        Field("required_from", "date", planned=True),  # a deferral moves it years ahead
        Field("ams_deferred_to", "int", required=False),
        Field("installed_on", "date", required=False),
        Field("connected_on", "date", required=False),
    ),
    natural_key=("registry_id",),
    period_field=None,
    request="snapshot",  # every stack and pollutant that must report, silent ones included
)

DATASETS = (ENTERPRISES, COMMITMENTS, PLANTINGS, EMISSIONS_ANNUAL, TELEMETRY, AMS_STACKS)
