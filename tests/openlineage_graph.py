"""The graph the OpenLineage events of a set of runs form, and the check every pipeline run passes.

An edge runs from each input of a completed job to each of its outputs, so walking upstream
from a table finds everything it was made from, whichever process or executor emitted the
events (the in-process ``dag.test`` runs and the Celery worker's alike).
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path


def read_events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def upstream_of(events: list[dict], dataset: tuple[str, str]) -> set[tuple[str, str]]:
    """Every ``(namespace, name)`` some chain of completed jobs read to write ``dataset``."""
    feeds = defaultdict(set)
    for event in events:
        if event.get("eventType") == "COMPLETE":
            for output in event.get("outputs", []):
                feeds[(output["namespace"], output["name"])] |= {(i["namespace"], i["name"])
                                                                 for i in event.get("inputs", [])}
    reached, todo = set(), [dataset]
    while todo:
        for upstream in feeds[todo.pop()] - reached:
            reached.add(upstream)
            todo.append(upstream)
    return reached


def assert_scorecard_traces_to_every_source(events: list[dict], warehouse_url: str, source_url: str) -> set[str]:
    """The scorecard's table reaches, through the dbt models' events and the land tasks', the endpoint
    of every dataset of the three families; each gate reports raw -> quarantine, with its expectations when it
    judged rows (a month's run has no batch of a yearly dataset). Returns the datasets whose gate
    reported expectations."""
    from taza.pipeline import lineage
    from taza.sources.catalogue import DATASETS

    from taza.pipeline.dbt import PRODUCER_TASK_ID

    namespace = lineage.warehouse_namespace(warehouse_url)
    scorecard = (namespace, lineage.warehouse_table_name(warehouse_url, "marts.kpi_concept_scorecard"))
    # Not through the dbt build's one job (every relation read -> every relation written): model by model.
    per_model = [e for e in events if not e["job"]["name"].endswith("." + PRODUCER_TASK_ID)]
    assert len(per_model) < len(events), "the build's own event is there too"
    reached = upstream_of(per_model, scorecard)
    assert reached, "a model event names the scorecard's table as an output"
    endpoints = {(e.namespace, e.name) for e in (lineage.source_endpoint(source_url, d.path)
                                                 for d in DATASETS.values())}
    assert {r for r in reached if r[0].startswith("http")} == endpoints
    gates = [e for e in events if e.get("eventType") == "COMPLETE" and ".validate_" in e["job"]["name"]]
    assert {(g["inputs"][0]["name"], g["outputs"][0]["name"]) for g in gates} >= {
        (lineage.warehouse_table_name(warehouse_url, d.raw_table),
         lineage.warehouse_table_name(warehouse_url, d.quarantine_table)) for d in DATASETS.values()}
    judged = {g["inputs"][0]["name"] for g in gates if g["inputs"][0]["inputFacets"]["dataQualityAssertions"]["assertions"]}
    assert all(g["inputs"][0]["inputFacets"]["dataQualityMetrics"]["rowCount"] == 0 for g in gates
               if g["inputs"][0]["name"] not in judged), "a gate without expectations judged no rows"
    return {key for key, dataset in DATASETS.items()
            if lineage.warehouse_table_name(warehouse_url, dataset.raw_table) in judged}
