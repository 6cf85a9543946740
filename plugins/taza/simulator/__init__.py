"""Simulated source systems: HTTP APIs that stand in for the real akimat, industry and
nursery systems, deterministic from a seed and calibrated to the official figures.

One package per API family (``regional``, ``nursery``, ``industry``), one module per
dataset: it generates the records and declares them in a ``SimulatedDataset``
(``dataset``: path, request style, generator, totals); the family's ``__init__`` lists
them, ``registry`` collects the families, and ``server`` serves the registry's routes
behind one API key, with the switchable faults of ``faults``.
"""
from taza.simulator.config import SimulatorConfig

__all__ = ["SimulatorConfig"]
