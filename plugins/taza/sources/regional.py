"""Datasets of the regional API family (akimats' reports)."""
from __future__ import annotations

from taza.sources.schema import Dataset, Field

PLANTING_REPORTS = Dataset(
    source="regional",
    entity="planting_reports",
    path="/regional/v1/planting-reports",
    fields=(
        Field("report_id", "text"),
        Field("region_kato", "text"),
        Field("region_name", "text", required=False),
        Field("district", "text"),
        Field("period", "month"),
        Field("programme", "text"),
        Field("trees_planted", "int"),
        Field("area_ha", "numeric", digits=(14, 2)),
        Field("reported_at", "timestamp", required=False),
    ),
    natural_key=("report_id",),
    period_field="period",
    # A report arrives 2-9 days after its month and may be corrected up to 60 days later,
    # so at the latest in the third month after its own (a February report filed on
    # 9 March, corrected by 8 May): the run that lands that month refetches the 3 before it.
    lookback_periods=3,
)

CAMPAIGN_REPORTS = Dataset(
    source="regional",
    entity="campaign_reports",
    path="/regional/v1/campaign-reports",
    fields=(
        Field("report_id", "text"),
        Field("region_kato", "text"),
        Field("region_name", "text", required=False),  # spelling varies; the code is authoritative
        Field("district", "text"),
        Field("period", "month"),
        Field("events", "int"),
        Field("participants", "int"),
        Field("volunteers", "int"),
        Field("waste_collected_t", "numeric", digits=(14, 1)),
        Field("area_cleaned_ha", "numeric", digits=(14, 2)),
        Field("trees_planted", "int"),
        Field("dumps_eliminated", "int"),
    ),
    natural_key=("report_id",),
    period_field="period",
)

ANNUAL_INDICATORS = Dataset(
    source="regional",
    entity="annual_indicators",
    path="/regional/v1/annual-indicators",
    fields=(
        Field("indicator_id", "text"),
        Field("region_kato", "text"),
        Field("region_name", "text", required=False),
        Field("year", "int"),
        Field("pupils_total", "int"),
        Field("pupils_in_eco_events", "int"),
        Field("satisfaction_share", "numeric", digits=(6, 4)),
        Field("msw_generated_t", "numeric", digits=(14, 1)),
        Field("msw_processed_t", "numeric", digits=(14, 1)),
    ),
    natural_key=("indicator_id",),
    period_field="year",
    request="annual",
)

DUMP_DETECTIONS = Dataset(
    source="regional",
    entity="dump_detections",
    path="/regional/v1/dump-detections",
    fields=(
        Field("detection_id", "text"),
        Field("region_kato", "text"),  # Shymkent under its legacy code 511010000
        Field("lat", "numeric", digits=(8, 5)),
        Field("lon", "numeric", digits=(8, 5)),
        Field("area_m2", "numeric", digits=(12, 1)),
        Field("detected_at", "timestamp"),
        Field("eliminated_at", "timestamp", required=False),
        Field("status", "text"),
    ),
    natural_key=("detection_id",),
    period_field="detected_at",
    # A dump is eliminated up to 180 days after its detection (status open -> eliminated):
    # each run refetches the 6 detection months before its own.
    lookback_periods=6,
)

PLANTING_PLANS = Dataset(
    source="regional",
    entity="planting_plans",
    path="/regional/v1/planting-plans",
    fields=(
        Field("plan_id", "text"),
        Field("region_kato", "text"),
        Field("region_name", "text", required=False),
        Field("plan_year", "int"),
        Field("revision", "int"),
        Field("published_on", "date"),
        Field("programme", "text"),
        Field("trees_planned", "int"),
        Field("area_planned_ha", "numeric"),
    ),
    natural_key=("plan_id",),
    period_field=None,
    request="snapshot",  # the register of every plan revision published so far
)

DATASETS = (PLANTING_REPORTS, CAMPAIGN_REPORTS, ANNUAL_INDICATORS, DUMP_DETECTIONS, PLANTING_PLANS)
