"""Great Expectations set up for the gate: one query asset per batch, results kept for Data Docs.

The context is ephemeral (suites live in expectations/, not in a GX project) except for
two places on disk: validation results are stored as JSON under the state dir, and the
Data Docs site that renders them is built into ``reports/data-docs/`` once per DAG run
(``build_data_docs``), with views that escape every value from the data
(taza.quality.data_docs_views); its index lists the latest DATA_DOCS_INDEX_LIMIT results.

A suite runs in two passes so that a clean batch costs one bundled scan: every expectation
first with BASIC results (counts only; GX bundles the column-map counts of a batch into one
query, and a partial_unexpected_count of 0 makes its per-expectation value query read no
row), then only the failed column-map expectations again with SUMMARY results, for the
few unexpected values and index rows the results, Data Docs and the rejection message show,
and for the query selecting every failing row, which the quarantine runs. Only that second
pass asks GX for the failing rows' query: asked in the first, GX built it for every
column-map expectation of every clean batch too (0.26 s -> 0.15 s per monthly batch of
planting reports, 17 expectations; session 10). An unexpected-rows check only counts its
failing rows; the gate samples a few itself when it failed (taza.quality.gx_unexpected_rows).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from taza import config
from taza.quality import gx_configuration_cache, gx_unexpected_rows

log = logging.getLogger(__name__)

INDEX_COLUMN = "_record_hash"
COUNTS_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 0}
# SUMMARY keeps a few unexpected values and failing rows' index, for a failed expectation only,
# and the SQL that selects every failing row (by _record_hash) without fetching them into
# Python; the quarantine runs it.
DETAIL_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 5,
                 "unexpected_index_column_names": [INDEX_COLUMN], "return_unexpected_index_query": True}
DATA_DOCS_INDEX_LIMIT = 200  # validation results on the index page, newest first: it must not grow with history
# Data Docs pages and index rendered by views that escape the data's values (GX does not).
_VIEWS = "taza.quality.data_docs_views"
DATA_DOCS_SECTIONS = {section: {"view": {"module_name": _VIEWS, "class_name": "EscapingPageView"}}
                      for section in ("expectations", "validations", "profiling")}
# GX hands the index's limit to the validations section too, which then renders a page only for
# the newest results in the whole store: a history run's oldest results, or those of a run whose
# neighbours (DAGs side by side) validated later, got no page at all. Pages are rendered for
# every result of the run (build_data_docs); only the index is limited.
DATA_DOCS_SECTIONS["validations"]["validation_results_limit"] = None
# Stores whose files are renamed into place whole: other DAG runs' gates and data_docs tasks
# read them concurrently (taza.quality.gx_store).
_ATOMIC_STORE = {"module_name": "taza.quality.gx_store", "class_name": "AtomicTupleFilesystemStoreBackend"}
DATA_DOCS_INDEX = {"class_name": "DefaultSiteIndexBuilder", "validation_results_limit": DATA_DOCS_INDEX_LIMIT,
                   "view": {"module_name": _VIEWS, "class_name": "EscapingIndexPageView"}}


def batch_query(raw_table: str, batch_id: str) -> str:
    """The query asset of one batch: every check runs on this subquery, in the database."""
    if not batch_id.isalnum():
        raise ValueError(f"not a batch id: {batch_id!r}")
    return f"SELECT * FROM {raw_table} WHERE _batch_id = '{batch_id}'"


_BATCH_QUERY = re.compile(r"SELECT \* FROM [a-z_]+\.[a-z_]+ WHERE _batch_id = '[0-9A-Za-z]+'")


def reflect_columns_without_rows(engine) -> None:
    """Make GX's column reflection of a batch read no row.

    GX 1.24 learns a query asset's columns by executing the asset's query as it is
    (``column_reflection_fallback``) and reads only the column names, but psycopg2 has by
    then received every row of the batch: a month of AMS telemetry (0.9 M rows) cost the
    gate 2.3 s and about 0.5 GB, and the peak grew with the batch. Every other check wraps
    the query in an aggregate, so the batch query sent bare is that reflection: on this
    engine it is sent with ``LIMIT 0``, which returns the same columns and no row."""
    from sqlalchemy import event

    def columns_only(conn, cursor, statement, parameters, context, executemany):
        if _BATCH_QUERY.fullmatch(statement.strip()):
            statement = f"SELECT * FROM ({statement.strip()}) AS batch_columns LIMIT 0"
        return statement, parameters

    event.listen(engine, "before_cursor_execute", columns_only, retval=True)


def _is_column_map(expectation) -> bool:
    return expectation.type.startswith(("expect_column_values_", "expect_column_pair_values_",
                                        "expect_multicolumn_values_"))


def _context():
    """An ephemeral GX context whose validation results and Data Docs live on disk."""
    import great_expectations as gx  # slow import: only when a gate or Data Docs actually run
    from great_expectations.data_context.types.base import (DataContextConfig, InMemoryStoreBackendDefaults,
                                                            ProgressBarsConfig)

    gx_unexpected_rows.register()
    project = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
                                progress_bars=ProgressBarsConfig(globally=False))
    project.stores[project.validation_results_store_name] = {
        "class_name": "ValidationResultsStore",
        "store_backend": {**_ATOMIC_STORE,
                          "base_directory": str(config.state_dir() / "gx" / "validations")}}
    project.data_docs_sites = {"taza": {
        "class_name": "SiteBuilder",
        "store_backend": {**_ATOMIC_STORE, "base_directory": str(config.data_docs_dir())},
        "site_section_builders": DATA_DOCS_SECTIONS,
        "site_index_builder": DATA_DOCS_INDEX}}
    context = gx.get_context(project_config=project)
    # An ephemeral context's configuration lives in its config object; GX still serializes all of
    # it to YAML into an in-memory store that nothing reads, each time a query asset or a batch
    # definition is added: twice per batch, 13% of a small batch's gate (profiled).
    context._save_project_config = lambda: None
    return context


@dataclass
class SuiteRunner:
    """A GX context holding one suite and a Postgres data source on the warehouse."""

    context: object
    suite: object
    source: object
    validated: list = field(default_factory=list)  # identifiers of the results stored by this runner

    @classmethod
    def open(cls, warehouse_url: str, document: dict) -> "SuiteRunner":
        import great_expectations as gx

        context = _context()
        suite = context.suites.add(gx.ExpectationSuite(name=document["name"], expectations=document["expectations"]))
        source = context.data_sources.add_postgres(
            name="warehouse", connection_string=warehouse_url.replace("postgresql://", "postgresql+psycopg2://", 1))
        reflect_columns_without_rows(source.get_execution_engine().engine)
        return cls(context, suite, source)

    def validate(self, raw_table: str, batch_id: str):
        """Run the suite on one batch (counts, then details of the failed column-map expectations)
        and store the result for Data Docs; GX's expectation results, in the suite's order."""
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.resource_identifiers import (ExpectationSuiteIdentifier,
                                                                                ValidationResultIdentifier)
        from great_expectations.validator.v1_validator import Validator

        asset = self.source.add_query_asset(name=f"batch_{batch_id}", query=batch_query(raw_table, batch_id))
        batch = asset.add_batch_definition_whole_table("batch")
        counted = Validator(batch_definition=batch, result_format=COUNTS_FORMAT)
        with gx_configuration_cache.cached():
            result = counted.validate_expectation_suite(self.suite)
            order = {expectation.id: position for position, expectation in enumerate(self.suite.expectations)}
            result.results.sort(key=lambda r: order[r.expectation_config.id])
            failed = [position for position, r in enumerate(result.results)
                      if not r.success and _is_column_map(r.expectation_config)]
            if failed:
                detailed = Validator(batch_definition=batch, result_format=DETAIL_FORMAT)
                for position in failed:
                    result.results[position] = detailed.validate_expectation(self.suite.expectations[position])
        run_id = RunIdentifier(run_name=f"gate:{batch_id}", run_time=datetime.now(timezone.utc))
        result.meta.update(run_id=run_id, validation_time=run_id.run_time)
        identifier = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=self.suite.name), run_id=run_id,
            batch_identifier=counted.active_batch_id)
        self.context.validation_results_store.set(identifier, result)
        self.validated.append(identifier)
        return result.results


def build_data_docs(since: datetime) -> Path:
    """Render the validation results stored since ``since`` (a DAG run's start), their suites'
    pages, and the site's index; older pages stay as they are. With no result since then (a
    run that landed nothing, or whose land tasks failed) nothing changes: GX reads no resource
    identifiers as "all of them" and rendered every page of the store's whole history again
    (1,108 results: 46 s)."""
    import great_expectations as gx
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    from taza.quality.suites import load_suite_document

    context = _context()
    results = [key for key in context.validation_results_store.list_keys() if key.run_id.run_time >= since]
    index = config.data_docs_dir() / "index.html"
    if not results:
        log.info("no validation result since %s: Data Docs unchanged (%s)", since.isoformat(), index)
        return index
    suites = sorted({key.expectation_suite_identifier.name for key in results})
    for name in suites:
        document = load_suite_document(name)
        context.suites.add(gx.ExpectationSuite(name=name, expectations=document["expectations"]))
    # A set: GX tests every key of the store for membership in it (a list made that quadratic).
    context.build_data_docs(site_names=["taza"], resource_identifiers=frozenset(
        [*(ExpectationSuiteIdentifier(name=name) for name in suites), *results]))
    return index


def gx_version() -> str:
    import great_expectations as gx

    return gx.__version__
