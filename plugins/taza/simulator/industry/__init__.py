"""Industry API family: the enterprise registry, its tree commitments and plantings,
annual emissions, the AMS stack registry and the AMS telemetry feed; one module per
dataset (``greening`` generates commitments and plantings together, ``calibration``
holds the family's official figures)."""
from __future__ import annotations

from taza.simulator.dataset import SimulatedDataset
from taza.simulator.industry import ams_stacks, commitments, emissions_annual, enterprises, plantings, telemetry

DATASETS: tuple[SimulatedDataset, ...] = (
    enterprises.DATASET,
    commitments.DATASET,
    plantings.DATASET,
    emissions_annual.DATASET,
    ams_stacks.DATASET,
    telemetry.DATASET,
)
