"""Regional API family (the akimats' reports): one module per dataset."""
from __future__ import annotations

from taza.simulator.dataset import SimulatedDataset
from taza.simulator.regional import (
    annual_indicators,
    campaign_reports,
    dump_detections,
    planting_plans,
    planting_reports,
)

DATASETS: tuple[SimulatedDataset, ...] = (
    planting_reports.DATASET,
    campaign_reports.DATASET,
    annual_indicators.DATASET,
    dump_detections.DATASET,
    planting_plans.DATASET,
)
