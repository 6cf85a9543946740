"""Which dbt tests judge which node of the KPI DAG (taza.pipeline.dbt_node_tests)."""
from __future__ import annotations

import pytest

from taza.pipeline.dbt_node_tests import own_tests_of_each_node

pytestmark = pytest.mark.unit


def _node(kind: str, *parents: str, attached: str | None = None) -> dict:
    node = {"resource_type": kind, "depends_on": {"nodes": list(parents)}}
    if kind == "test":
        node["attached_node"] = attached
    return node


# seed S -> model A -> model B; model C (a sibling of B) reads A too; a source feeds A.
MANIFEST = {"nodes": {
    "seed.p.s": {"resource_type": "seed", "depends_on": {"macros": []}},
    "model.p.a": _node("model", "seed.p.s", "source.p.raw.t"),
    "model.p.b": _node("model", "model.p.a"),
    "model.p.c": _node("model", "model.p.a"),
    "test.p.not_null_s_id.1": _node("test", "seed.p.s", attached="seed.p.s"),
    "test.p.relationships_a_s.2": _node("test", "model.p.a", "seed.p.s", attached="model.p.a"),
    "test.p.assert_b_reconciles_with_a": _node("test", "model.p.a", "model.p.b"),
    "test.p.assert_b_equals_c": _node("test", "model.p.b", "model.p.c"),
    "test.p.source_not_null_raw_t.3": _node("test", "source.p.raw.t"),
}}


def test_a_test_belongs_to_the_node_it_is_defined_on_not_to_every_node_it_reads():
    tests = own_tests_of_each_node(MANIFEST)
    assert tests["seed.p.s"] == ["test.p.not_null_s_id.1"], "the relationships test defined on A is A's"
    assert tests["model.p.a"] == ["test.p.relationships_a_s.2"]


def test_a_singular_test_belongs_to_the_parents_it_reads_that_are_built_last():
    tests = own_tests_of_each_node(MANIFEST)
    assert tests["model.p.b"] == ["test.p.assert_b_equals_c", "test.p.assert_b_reconciles_with_a"]
    assert tests["model.p.c"] == ["test.p.assert_b_equals_c"]


def test_a_test_of_sources_only_belongs_to_no_node():
    judged = {test for tests in own_tests_of_each_node(MANIFEST).values() for test in tests}
    assert "test.p.source_not_null_raw_t.3" not in judged
    assert judged == {uid for uid, n in MANIFEST["nodes"].items() if n["resource_type"] == "test"} - {
        "test.p.source_not_null_raw_t.3"}
