"""Industry API family: the enterprises' monthly tree plantings (generated with the
commitments in ``greening``)."""
from __future__ import annotations

from taza.simulator.dataset import SimulatedDataset
from taza.simulator.industry.greening import greening_totals, planting_records

DATASET = SimulatedDataset(name="plantings", path="/industry/v1/plantings", request="monthly",
                           generate=planting_records, filter_field="period", totals=greening_totals)
