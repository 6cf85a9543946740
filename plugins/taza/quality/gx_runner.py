"""Great Expectations set up for the gate: one query asset per batch, results kept for Data Docs.

The context is ephemeral (suites live in expectations/, not in a GX project) except for
two places on disk: validation results are stored as JSON under the state dir, and the
Data Docs site that renders them all is built into ``reports/data-docs/``, with views that
escape every value from the data (taza.quality.data_docs_views).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from taza import config

log = logging.getLogger(__name__)

INDEX_COLUMN = "_record_hash"
# SUMMARY keeps a few unexpected values and, for column-map expectations, the SQL that
# selects every failing row (by _record_hash) without fetching them into Python.
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 5,
                 "unexpected_index_column_names": [INDEX_COLUMN], "return_unexpected_index_query": True}
# Data Docs pages and index rendered by views that escape the data's values (GX does not).
_VIEWS = "taza.quality.data_docs_views"
DATA_DOCS_SECTIONS = {section: {"view": {"module_name": _VIEWS, "class_name": "EscapingPageView"}}
                      for section in ("expectations", "validations", "profiling")}
DATA_DOCS_INDEX = {"class_name": "DefaultSiteIndexBuilder",
                   "view": {"module_name": _VIEWS, "class_name": "EscapingIndexPageView"}}


def reports_dir() -> Path:
    return Path(os.environ.get("TAZA_REPORTS_DIR", config.REPORTS_DIR))


def data_docs_dir() -> Path:
    return reports_dir() / "data-docs"


def batch_query(raw_table: str, batch_id: str) -> str:
    """The query asset of one batch: every check runs on this subquery, in the database."""
    if not batch_id.isalnum():
        raise ValueError(f"not a batch id: {batch_id!r}")
    return f"SELECT * FROM {raw_table} WHERE _batch_id = '{batch_id}'"


@dataclass
class SuiteRunner:
    """A GX context holding one suite and a Postgres data source on the warehouse."""

    context: object
    suite: object
    source: object
    validated: list = field(default_factory=list)  # identifiers of the results stored by this runner

    @classmethod
    def open(cls, warehouse_url: str, document: dict) -> "SuiteRunner":
        import great_expectations as gx  # slow import: only when a gate actually runs
        from great_expectations.data_context.types.base import (DataContextConfig, InMemoryStoreBackendDefaults,
                                                                ProgressBarsConfig)

        project = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
                                    progress_bars=ProgressBarsConfig(globally=False))
        project.stores[project.validation_results_store_name] = {
            "class_name": "ValidationResultsStore",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(config.state_dir() / "gx" / "validations")}}
        project.data_docs_sites = {"taza": {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir())},
            "site_section_builders": DATA_DOCS_SECTIONS,
            "site_index_builder": DATA_DOCS_INDEX}}
        context = gx.get_context(project_config=project)
        suite = context.suites.add(gx.ExpectationSuite(name=document["name"], expectations=document["expectations"]))
        source = context.data_sources.add_postgres(
            name="warehouse", connection_string=warehouse_url.replace("postgresql://", "postgresql+psycopg2://", 1))
        return cls(context, suite, source)

    def validate(self, raw_table: str, batch_id: str):
        """Run the suite on one batch; GX's expectation results, in the suite's order."""
        import great_expectations as gx

        asset = self.source.add_query_asset(name=f"batch_{batch_id}", query=batch_query(raw_table, batch_id))
        definition = self.context.validation_definitions.add(gx.ValidationDefinition(
            name=f"{self.suite.name}:{batch_id}", data=asset.add_batch_definition_whole_table("batch"),
            suite=self.suite))
        checkpoint = self.context.checkpoints.add(gx.Checkpoint(
            name=f"gate:{batch_id}", validation_definitions=[definition], result_format=RESULT_FORMAT))
        [(identifier, result)] = checkpoint.run().run_results.items()
        self.validated.append(identifier)
        order = {expectation.id: position for position, expectation in enumerate(self.suite.expectations)}
        return sorted(result.results, key=lambda r: order[r.expectation_config.id])

    def build_data_docs(self) -> Path:
        """Render this runner's results and the suite (older pages stay) and the site's index."""
        from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

        self.context.build_data_docs(site_names=["taza"], resource_identifiers=[
            ExpectationSuiteIdentifier(name=self.suite.name), *self.validated])
        return data_docs_dir() / "index.html"


def gx_version() -> str:
    import great_expectations as gx

    return gx.__version__
