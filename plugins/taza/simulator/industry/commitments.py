"""Industry API family: the enterprises' yearly tree-planting commitments (generated with
the plantings in ``greening``)."""
from __future__ import annotations

from taza.simulator.dataset import SimulatedDataset
from taza.simulator.industry.greening import commitment_records, greening_totals

DATASET = SimulatedDataset(name="commitments", path="/industry/v1/commitments", request="annual",
                           generate=commitment_records, filter_field="year", totals=greening_totals)
