"""Simulated source systems: HTTP APIs that stand in for the real akimat, industry and
nursery systems, deterministic from a seed and calibrated to the official figures.

One module per API family (``regional``, ...) generates its records and declares its
routes; ``server`` serves them all behind one API key.
"""
from taza.simulator.config import SimulatorConfig

__all__ = ["SimulatorConfig"]
