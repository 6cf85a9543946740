"""Expectation suites are JSON files in expectations/, one per raw dataset, reviewed like code.

Each expectation carries GX's own ``severity``: ``critical`` failures reject the batch,
``warning`` failures are recorded and never block.
"""
from __future__ import annotations

import json
from pathlib import Path

from taza import config


def suite_path(dataset_name: str) -> Path:
    return config.EXPECTATIONS_DIR / f"{dataset_name}.json"


def load_suite_document(dataset_name: str) -> dict:
    path = suite_path(dataset_name)
    if not path.exists():
        raise FileNotFoundError(f"no expectation suite for {dataset_name}: expected {path}")
    document = json.loads(path.read_text())
    for expectation in document["expectations"]:
        if expectation.get("severity") not in ("critical", "warning"):
            raise ValueError(f"{path}: every expectation needs severity 'critical' or 'warning', "
                             f"{expectation['type']} has {expectation.get('severity')!r}")
    return document
