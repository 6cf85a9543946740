"""Taza KPI warehouse: sources, loading, validation and warehouse tooling."""
