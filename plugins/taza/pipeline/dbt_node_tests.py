"""Which dbt tests judge which node, in the KPI DAG's one task per node (and how dbt names a node).

A node's tests are those defined on it (dbt's ``attached_node``), not every test
that reads it, as Cosmos counts them. A relationships test defined on a mart and pointing
at a seed judges the mart's rows: counted for the seed too, it failed the seed's task
whenever the mart was not built, and the seed's retry could never pass while the mart,
downstream of the seed, waited for it. A singular test, defined on no node, is judged
with the parents it reads that are built last (none of the others is built from them).
"""
from __future__ import annotations

BUILT_RESOURCE_TYPES = ("model", "seed", "snapshot")


def versioned_name(node: dict) -> str:
    """A manifest node's name as dbt selects it: ``<name>.v<version>`` for a versioned model."""
    return node["name"] + (f".v{node['version']}" if node.get("version") is not None else "")


def own_tests_of_each_node(manifest: dict) -> dict[str, list[str]]:
    """Each built node's tests (module docstring): unique id -> the unique ids of its tests."""
    nodes = manifest["nodes"]
    built = {uid for uid, node in nodes.items() if node["resource_type"] in BUILT_RESOURCE_TYPES}
    ancestors: dict[str, set[str]] = {}

    def ancestors_of(uid: str) -> set[str]:
        if uid not in ancestors:
            parents = [p for p in nodes[uid].get("depends_on", {}).get("nodes", []) if p in built]
            ancestors[uid] = set(parents).union(*(ancestors_of(p) for p in parents))
        return ancestors[uid]

    tests: dict[str, list[str]] = {}
    for uid, node in sorted(nodes.items()):
        if node["resource_type"] != "test":
            continue
        parents = [p for p in node["depends_on"]["nodes"] if p in built]
        defined_on = node.get("attached_node")
        owners = [defined_on] if defined_on in built else [
            p for p in parents if not any(p in ancestors_of(other) for other in parents)]
        for owner in owners:
            tests.setdefault(owner, []).append(uid)
    return tests
