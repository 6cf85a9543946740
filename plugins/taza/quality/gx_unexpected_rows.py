"""GX's ``unexpected_rows_expectation``, counting its failing rows without fetching them.

GX 1.24's UnexpectedRowsExpectation resolves two metrics whatever the result format:
``unexpected_rows_query.table`` runs the check's query and keeps 200 of its rows (psycopg2
has by then received every failing row), then ``unexpected_rows_query.row_count`` runs the
query again inside COUNT(*). Only a COMPLETE result shows those rows. The gate asks for
BASIC and SUMMARY results (taza.quality.gx_runner) and samples a failing check's rows
itself (gate._sample_failing_rows), so the first query was a scan of the batch whose
answer went unread: 0.10 s of a 1.1 s gate on a week of AMS telemetry (profiled), and on
a failing batch every failing row sent to Python.

The class below replaces GX's under the same type name, so the suites in expectations/,
the stored results and Data Docs are unchanged. It depends on the count alone, and
refuses COMPLETE, the one format that would show the rows it no longer fetches.
``register()`` must run before any suite is built (gx_runner._context does it).
"""
from __future__ import annotations

import logging
from typing import ClassVar

_GX_REGISTRY_LOG = "great_expectations.expectations.registry"
_COUNT = "unexpected_rows_query.row_count"
_registered = None


def register():
    """Define and register the counting class once per process; returns it."""
    global _registered
    if _registered is None:
        _registered = _define()
    return _registered


def _define():
    from great_expectations.core.result_format import ResultFormat
    from great_expectations.expectations.core.unexpected_rows_expectation import (
        UnexpectedRowsExpectation as GXUnexpectedRowsExpectation)

    registry_log = logging.getLogger(_GX_REGISTRY_LOG)
    level = registry_log.level
    registry_log.setLevel(logging.ERROR)  # GX warns "Overwriting declaration": intended here
    try:
        class UnexpectedRowsExpectation(GXUnexpectedRowsExpectation):  # the name gives the type: keep it
            metric_dependencies: ClassVar[tuple[str, ...]] = (_COUNT,)

            def _validate(self, metrics: dict, runtime_configuration: dict | None = None,
                          execution_engine=None) -> dict:
                result_format = self._get_result_format(runtime_configuration=runtime_configuration)
                if isinstance(result_format, dict):
                    result_format = result_format.get("result_format", ResultFormat.SUMMARY)
                if result_format == ResultFormat.COMPLETE:
                    raise ValueError("unexpected_rows_expectation here counts its failing rows and fetches "
                                     "none (taza.quality.gx_unexpected_rows): ask for BASIC or SUMMARY and "
                                     "query the rows themselves")
                unexpected = metrics[_COUNT]
                if result_format == ResultFormat.BOOLEAN_ONLY:
                    return {"success": unexpected == 0}
                return {"success": unexpected == 0, "result": {"observed_value": unexpected}}
    finally:
        registry_log.setLevel(level)
    return UnexpectedRowsExpectation
