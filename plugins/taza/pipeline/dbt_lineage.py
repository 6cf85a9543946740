"""One OpenLineage event per dbt model, seed and snapshot of a KPI build: the relation the node
writes and the relations it reads, from the dbt manifest's ``depends_on``.

Cosmos reports the whole ``dbt build`` as one job (the producer task: every relation read ->
every relation written), and each model's watcher task names its relation without inputs;
neither says which tables a given model reads, so a walk upstream through them reaches every
source from any model. These events do say it, so a lineage tool (and the graph test) walks
from the scorecard to the sources model by model. Each event is a child of the task that
emits it (``parent`` facet). No column-level lineage: dbt's manifest has none.
"""
from __future__ import annotations

from datetime import datetime, timezone

from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import parent_run
from openlineage.client.uuid import generate_new_uuid

from taza.pipeline.dbt_node_tests import versioned_name
from taza.pipeline.lineage import warehouse_namespace, warehouse_table_name

BUILT = ("model", "seed", "snapshot")
PRODUCER = "https://github.com/taza-kpi/warehouse/dbt_lineage"


def _relation(node: dict) -> str | None:
    """``schema.table`` of a node that is a table or view in the warehouse (not ephemeral)."""
    if node["resource_type"] == "source":
        return f"{node['schema']}.{node.get('identifier') or node['name']}"
    if node["resource_type"] in BUILT and node.get("config", {}).get("materialized") != "ephemeral":
        return f"{node['schema']}.{node.get('alias') or node['name']}"
    return None


def _reads(manifest: dict, node: dict) -> set[str]:
    """The relations a node reads, through ephemeral models to what they read."""
    found, todo, seen = set(), list(node.get("depends_on", {}).get("nodes", [])), set()
    while todo:
        unique_id = todo.pop()
        if unique_id in seen:
            continue
        seen.add(unique_id)
        upstream = manifest["nodes"].get(unique_id) or manifest["sources"].get(unique_id)
        if upstream is None:
            continue
        relation = _relation(upstream)
        if relation:
            found.add(relation)
        elif upstream["resource_type"] == "model":
            todo.extend(upstream.get("depends_on", {}).get("nodes", []))
    return found


def model_events(manifest: dict, warehouse_url: str, job_prefix: str,
                 parent: tuple[str, str, str], only: set[str] | None = None) -> list[RunEvent]:
    """A COMPLETE event per built node of the project (of those whose unique ids are in ``only``, when
    given): job ``<job_prefix>.<node name>``, inputs the relations it reads, output its relation;
    ``parent`` is the emitting task's (namespace, job, runId)."""
    namespace, now = warehouse_namespace(warehouse_url), datetime.now(timezone.utc).isoformat()
    parent_facet = parent_run.ParentRunFacet(run=parent_run.Run(runId=parent[2]),
                                             job=parent_run.Job(namespace=parent[0], name=parent[1]))
    events = []
    for unique_id, node in manifest["nodes"].items():
        if only is not None and unique_id not in only:
            continue
        relation = _relation(node)
        if node["resource_type"] not in BUILT or relation is None or node["package_name"] != manifest[
                "metadata"].get("project_name", node["package_name"]):
            continue
        events.append(RunEvent(
            eventType=RunState.COMPLETE, eventTime=now, producer=PRODUCER,
            run=Run(runId=str(generate_new_uuid()), facets={"parent": parent_facet}),
            job=Job(namespace=parent[0], name=f"{job_prefix}.{versioned_name(node)}"),
            inputs=[InputDataset(namespace=namespace, name=warehouse_table_name(warehouse_url, r))
                    for r in sorted(_reads(manifest, node))],
            outputs=[OutputDataset(namespace=namespace, name=warehouse_table_name(warehouse_url, relation))]))
    return events


def emit(events: list[RunEvent]) -> None:
    """Send events through the OpenLineage provider's configured transport (nothing when it is disabled)."""
    from airflow.providers.openlineage.conf import is_disabled
    from airflow.providers.openlineage.plugins.listener import get_openlineage_listener

    if not is_disabled():
        adapter = get_openlineage_listener().adapter
        for event in events:
            adapter.emit(event)
