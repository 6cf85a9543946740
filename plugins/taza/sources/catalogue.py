"""Every source dataset the pipeline knows, by name (``<source>__<entity>``)."""
from __future__ import annotations

from taza.sources import industry, nursery, regional
from taza.sources.schema import Dataset

DATASETS: dict[str, Dataset] = {d.name: d for family in (regional, nursery, industry) for d in family.DATASETS}


def get_dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(sorted(DATASETS))}") from None
