"""Datasets of the nursery API family (forest nurseries and planting survival)."""
from __future__ import annotations

from taza.sources.schema import Dataset, Field

NURSERIES = Dataset(
    source="nursery",
    entity="nurseries",
    path="/nursery/v1/nurseries",
    fields=(
        Field("nursery_id", "text"),
        Field("name", "text"),
        Field("region", "text"),  # a region name in some spelling, no code
        Field("area_ha", "numeric", digits=(12, 2)),
        Field("capacity_seedlings_per_year", "int"),
        Field("established_year", "int"),
        Field("has_closed_root_complex", "bool"),
    ),
    natural_key=("nursery_id",),
    period_field=None,
    request="snapshot",
)

SEEDLING_STOCK = Dataset(
    source="nursery",
    entity="seedling_stock",
    path="/nursery/v1/seedling-stock",
    fields=(
        Field("stock_id", "text"),
        Field("nursery_id", "text"),
        Field("season_year", "int"),
        Field("species", "text"),
        Field("age_years", "int"),
        Field("seedlings_ready", "int"),
        Field("seedlings_total", "int"),
    ),
    natural_key=("stock_id",),
    period_field="season_year",
    request="annual",
)

SURVIVAL_INVENTORIES = Dataset(
    source="nursery",
    entity="survival_inventories",
    path="/nursery/v1/survival-inventories",
    fields=(
        Field("inventory_id", "text"),
        Field("site_id", "text"),
        Field("region_kato", "text"),
        Field("planting_year", "int"),
        Field("inspection_year", "int"),
        Field("inspection_type", "text"),
        Field("area_ha", "numeric", digits=(12, 2)),
        Field("planted", "int"),
        Field("surviving", "int"),
    ),
    natural_key=("inventory_id",),
    period_field="inspection_year",
    request="annual",
)

DATASETS = (NURSERIES, SEEDLING_STOCK, SURVIVAL_INVENTORIES)
