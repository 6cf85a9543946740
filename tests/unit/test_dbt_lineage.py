"""Per-model OpenLineage events from the dbt manifest: each model's inputs are the tables it reads."""
from __future__ import annotations

import json

import pytest
from openlineage.client.serde import Serde
from openlineage_graph import upstream_of

from taza.pipeline.dbt_lineage import model_events
from taza.sources.catalogue import DATASETS

WAREHOUSE = "postgresql://taza@127.0.0.1:5432/taza"
PARENT = ("taza", "taza_build_kpis.dbt_model_lineage", "019a0000-0000-7000-8000-000000000001")


@pytest.fixture(scope="module")
def events(dbt_manifest):
    return model_events(json.loads(dbt_manifest.read_text()), WAREHOUSE, "taza_build_kpis.dbt_model", PARENT)


def _upstream(events, table: str) -> set[str]:
    """The tables upstream of ``table`` in the events, as a lineage tool reads them (their JSON)."""
    as_json = [json.loads(Serde.to_json(event)) for event in events]
    return {name for _, name in upstream_of(as_json, ("postgres://127.0.0.1:5432", table))}


def test_one_event_per_built_node_child_of_the_emitting_task(events, dbt_manifest):
    manifest = json.loads(dbt_manifest.read_text())
    built = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed", "snapshot")
             and n["config"]["materialized"] != "ephemeral"]
    assert len(events) == len(built)
    assert len({e.job.name for e in events}) == len(events), "one job per node"
    assert {len(e.outputs) for e in events} == {1}
    assert all(e.run.facets["parent"].run.runId == PARENT[2] for e in events)
    assert all(o.namespace == "postgres://127.0.0.1:5432" for e in events for o in e.outputs)


def test_a_model_reads_only_the_tables_it_refers_to(events):
    """fct_plantings leads back to the regional planting reports only, fct_emissions_annual to industry
    feeds only; the scorecard leads back to every raw table."""
    plantings = {n for n in _upstream(events, "taza.marts.fct_plantings") if n.startswith("taza.raw.")}
    assert plantings == {"taza.raw.regional__planting_reports"}
    emissions = {n for n in _upstream(events, "taza.marts.fct_emissions_annual_v2") if n.startswith("taza.raw.")}
    assert emissions and all(name.startswith("taza.raw.industry__") for name in emissions), sorted(emissions)
    scorecard = _upstream(events, "taza.marts.kpi_concept_scorecard")
    assert {n for n in scorecard if n.startswith("taza.raw.")} == {f"taza.{d.raw_table}" for d in DATASETS.values()}
