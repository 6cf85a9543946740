"""Every simulated dataset, family by family, and the route table the server serves."""
from __future__ import annotations

from taza.simulator import industry, nursery, regional
from taza.simulator.dataset import SimulatedDataset, route_table
from taza.simulator.routing import Handler

DATASETS: tuple[SimulatedDataset, ...] = (*regional.DATASETS, *nursery.DATASETS, *industry.DATASETS)
ROUTES: dict[str, Handler] = route_table(DATASETS)
