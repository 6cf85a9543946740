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
        Field("area_ha", "numeric"),
        Field("reported_at", "timestamp", required=False),
    ),
    natural_key=("report_id",),
    period_field="period",
)

DATASETS = (PLANTING_REPORTS,)
