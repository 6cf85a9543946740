"""Expectation suites are JSON files in expectations/, one per raw dataset, reviewed like code.

Each expectation carries GX's own ``severity`` and, in its ``meta``, a ``scope``:

* ``batch`` (the default): a statement about the batch as a whole (schema, row counts,
  uniqueness). A failed critical one rejects the batch; a failed warning is recorded.
* ``row``: a statement each row must satisfy (not-null keys, value ranges, reference
  codes, cross-field rules, dates inside the batch interval). A failed critical one moves
  its failing rows to quarantine, and rejects the batch only when more than the suite's
  ``meta.quarantine_tolerance`` share of the batch fails it (a systemic break, such as a
  unit change, is not a few bad records). A failed warning is recorded and blocks nothing.

Row-scope expectations must let the gate find their failing rows in SQL: column-map
expectations (GX gives their condition as ``unexpected_index_query``) or an
``unexpected_rows_expectation`` whose query returns the batch's failing rows.

Two standard checks every suite has are generated here, not pasted into each JSON: the
raw table's columns (first: the dataset's fields and the provenance columns, exactly) and
the batch's received count against the previous validated batch's (last: a warning,
within the suite's ``meta.received_vs_previous`` factors ``[low, high]``, plus 10 rows).

Reference sets are not copied into suites: ``{"$reference": NAME}`` as a kwarg value, or
``$reference:NAME`` inside an unexpected-rows query, is replaced by the reference's values
(see taza.quality.reference) when the suite is loaded.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from taza import config
from taza.quality.reference import reference, sql_list
from taza.sources.schema import PROVENANCE_COLUMNS

SEVERITIES = ("critical", "warning")
SCOPES = ("batch", "row")
DEFAULT_QUARANTINE_TOLERANCE = 0.2
UNEXPECTED_ROWS = "unexpected_rows_expectation"
_QUERY_REFERENCE = re.compile(r"\$reference:([a-z_]+)")


def suite_path(dataset_name: str) -> Path:
    return config.EXPECTATIONS_DIR / f"{dataset_name}.json"


def scope(expectation: dict) -> str:
    return (expectation.get("meta") or {}).get("scope", "batch")


def column_label(expectation: dict) -> str | None:
    """The column(s) an expectation is about, as shown in results and quarantine."""
    kwargs = expectation["kwargs"]
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    if "column_list" in kwargs:
        return ", ".join(kwargs["column_list"])
    return None


def expectation_label(expectation: dict) -> str:
    """``type(column)``, or ``type[description]`` for an unexpected-rows query."""
    if expectation["type"] == UNEXPECTED_ROWS:
        return f"{UNEXPECTED_ROWS}[{expectation.get('description', 'query')}]"
    return f"{expectation['type']}({column_label(expectation) or 'table'})"


def quarantine_tolerance(document: dict) -> float:
    return float(document.get("meta", {}).get("quarantine_tolerance", DEFAULT_QUARANTINE_TOLERANCE))


def _resolve(value):
    if isinstance(value, dict) and set(value) == {"$reference"}:
        return list(reference(value["$reference"]))
    if isinstance(value, str):
        return _QUERY_REFERENCE.sub(lambda m: sql_list(reference(m.group(1))), value)
    return value


def _columns_check(dataset_name: str) -> dict:
    from taza.sources.catalogue import get_dataset

    return {"type": "expect_table_columns_to_match_set", "severity": "critical",
            "kwargs": {"column_set": [*get_dataset(dataset_name).column_names, *PROVENANCE_COLUMNS],
                       "exact_match": True},
            "meta": {"scope": "batch", "why": "the raw table's contract with the loader"}}


def _received_vs_previous_check(path: Path, document: dict) -> dict:
    factors = document.get("meta", {}).get("received_vs_previous")
    if not (isinstance(factors, list) and len(factors) == 2):
        raise ValueError(f"{path}: meta.received_vs_previous must be [low, high], the factors a batch's received "
                         f"count may differ by from the previous validated batch's; got {factors!r}")
    low, high = factors
    return {"type": UNEXPECTED_ROWS, "severity": "warning", "description": "row count against the previous batch",
            "kwargs": {"unexpected_rows_query": (
                "SELECT this_batch.batch_id, this_batch.received_count, previous.received_count AS "
                "previous_received_count FROM (SELECT DISTINCT _batch_id FROM {batch} AS batch_rows) AS batch_ids "
                "JOIN audit.batch AS this_batch ON this_batch.batch_id = batch_ids._batch_id CROSS JOIN LATERAL "
                "(SELECT earlier.received_count FROM audit.batch AS earlier WHERE earlier.dataset = "
                "this_batch.dataset AND earlier.status = 'validated' AND (earlier.interval_start, earlier.loaded_at)"
                " < (this_batch.interval_start, this_batch.loaded_at) ORDER BY earlier.interval_start DESC, "
                "earlier.loaded_at DESC LIMIT 1) AS previous WHERE this_batch.received_count < "
                f"previous.received_count * {low} OR this_batch.received_count > previous.received_count * {high} + 10")},
            "meta": {"scope": "batch", "why": f"the batch holds between {low} and {high} times (+10 rows) the records "
                                              f"of the previous validated batch of the dataset; more or less is worth "
                                              f"a look"}}


def _check(path: Path, expectation: dict) -> None:
    name = expectation_label(expectation) if "kwargs" in expectation else expectation.get("type")
    if expectation.get("severity") not in SEVERITIES:
        raise ValueError(f"{path}: every expectation needs severity 'critical' or 'warning', "
                         f"{name} has {expectation.get('severity')!r}")
    if scope(expectation) not in SCOPES:
        raise ValueError(f"{path}: {name}: meta.scope must be one of {SCOPES}")
    if scope(expectation) == "row":
        is_map = expectation["type"].startswith(("expect_column_values_", "expect_column_pair_values_",
                                                 "expect_multicolumn_values_"))
        if expectation["type"] == UNEXPECTED_ROWS:
            if "_record_hash" not in expectation["kwargs"]["unexpected_rows_query"] \
                    and "*" not in expectation["kwargs"]["unexpected_rows_query"]:
                raise ValueError(f"{path}: {name}: a row-scope query must return the rows' _record_hash")
        elif not is_map or expectation["type"].endswith("_to_be_unique"):
            raise ValueError(f"{path}: {name}: only column-map expectations and unexpected-rows "
                             f"queries can have scope 'row'")


def load_suite_document(dataset_name: str) -> dict:
    """The suite of a dataset, with its standard checks, checked, with its references resolved."""
    path = suite_path(dataset_name)
    if not path.exists():
        raise FileNotFoundError(f"no expectation suite for {dataset_name}: expected {path}")
    document = json.loads(path.read_text())
    document["expectations"] = [_columns_check(dataset_name), *document["expectations"],
                                _received_vs_previous_check(path, document)]
    for expectation in document["expectations"]:
        _check(path, expectation)
        expectation["kwargs"] = {key: _resolve(value) for key, value in expectation["kwargs"].items()}
    return document
