"""Nursery API family: the nursery registry, its seedling stock and the survival
inventories of the plantings; one module per dataset."""
from __future__ import annotations

from taza.simulator.dataset import SimulatedDataset
from taza.simulator.nursery import nurseries, seedling_stock, survival_inventories

DATASETS: tuple[SimulatedDataset, ...] = (
    nurseries.DATASET,
    seedling_stock.DATASET,
    survival_inventories.DATASET,
)
