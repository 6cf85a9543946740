"""What a KPI build rebuilds (taza.pipeline.kpi_refresh.plan_build), on a small project:

    source raw.a -> stg_a -> kpi (also reads stg_b) <- stg_b <- source raw.b
    source audit.batch -> coverage (tag reads_audit_trail) -> kpi
    seed regions -> dim_region;  test rel_b_regions on stg_b, reading dim_region;
    versioned model fct_a (v2) <- stg_a
"""
from __future__ import annotations

import pytest

from taza.pipeline.kpi_refresh import (AUDIT_TRAIL_TAG, FIRST_BUILD, FULL_BUILD_ASKED, INPUTS_CHANGED,
                                       NOTHING_CHANGED, PROJECT_CHANGED, SucceededBuild, plan_build,
                                       project_fingerprint, to_build)

pytestmark = pytest.mark.unit

COUNTS = {"a": 3, "b": 5}


def _node(kind: str, name: str, parents: list[str], tags=(), attached=None, version=None) -> dict:
    return {"resource_type": kind, "name": name, "depends_on": {"nodes": parents}, "tags": list(tags),
            "attached_node": attached, "version": version, "config": {"materialized": "table"},
            "schema": "marts", "alias": name}


def _manifest() -> dict:
    nodes = {
        "model.p.stg_a": _node("model", "stg_a", ["source.p.raw.a"]),
        "model.p.stg_b": _node("model", "stg_b", ["source.p.raw.b"]),
        "model.p.coverage": _node("model", "coverage", ["source.p.audit.batch"], tags=[AUDIT_TRAIL_TAG]),
        "model.p.kpi": _node("model", "kpi", ["model.p.stg_a", "model.p.stg_b", "model.p.coverage"]),
        "model.p.fct_a.v2": _node("model", "fct_a", ["model.p.stg_a"], version=2),
        "seed.p.regions": _node("seed", "regions", []),
        "model.p.dim_region": _node("model", "dim_region", ["seed.p.regions"]),
        "test.p.not_null_kpi": _node("test", "not_null_kpi", ["model.p.kpi"], attached="model.p.kpi"),
        "test.p.rel_b_regions": _node("test", "rel_b_regions", ["model.p.stg_b", "model.p.dim_region"],
                                      attached="model.p.stg_b"),
    }
    sources = {"source.p.raw.a": {"name": "a", "schema": "raw"}, "source.p.raw.b": {"name": "b", "schema": "raw"},
               "source.p.audit.batch": {"name": "batch", "schema": "audit"}}
    child_map: dict[str, list[str]] = {uid: [] for uid in [*nodes, *sources]}
    for uid, node in nodes.items():
        for parent in node["depends_on"]["nodes"]:
            child_map[parent].append(uid)
    return {"nodes": nodes, "sources": sources, "child_map": child_map}


LAST = SucceededBuild(7, "scheduled__x", "code-1", COUNTS)


def _plan(counts=COUNTS, *, last=LAST, fingerprint="code-1", missing=frozenset(), full_requested=False):
    return plan_build(_manifest(), last=last, fingerprint=fingerprint, validated_batches=dict(counts),
                      missing=set(missing), full_requested=full_requested)


def _names(plan) -> set[str]:
    return {uid.split(".")[2] for uid in plan.rebuilt}


def test_everything_is_built_when_asked_on_a_first_build_and_after_a_change_of_code():
    every = {"stg_a", "stg_b", "coverage", "kpi", "fct_a", "regions", "dim_region"}
    for plan, cause, why in ((_plan(full_requested=True), FULL_BUILD_ASKED, "param full_build"),
                             (_plan(last=None), FIRST_BUILD, "no KPI build has succeeded"),
                             (_plan(fingerprint="code-2"), PROJECT_CHANGED,
                              "the dbt project changed since KPI build 7")):
        assert plan.full and plan.cause == cause and _names(plan) == every and why in plan.reason
        assert plan.selection(_manifest()) is None


def test_nothing_is_built_when_no_dataset_has_a_new_validated_batch():
    plan = _plan()
    assert not plan.full and plan.cause == NOTHING_CHANGED and plan.rebuilt == frozenset()
    assert plan.reason == "nothing to build: no input of any node changed since KPI build 7 (run scheduled__x)"


def test_a_new_validated_batch_builds_what_reads_its_dataset_and_what_reads_every_batch():
    plan = _plan({"a": 4, "b": 5})
    assert _names(plan) == {"stg_a", "fct_a", "coverage", "kpi"}
    assert plan.cause == INPUTS_CHANGED and plan.changed_datasets == ("a",) and plan.missing == ()
    assert plan.selection(_manifest()) == ["coverage", "fct_a.v2", "kpi", "stg_a"]
    assert "new validated batches of a" in plan.reason and "since KPI build 7" in plan.reason


def test_a_dataset_first_validated_since_the_last_build_counts_as_changed():
    assert _names(_plan({"a": 3, "b": 5, "c": 1})) == {"coverage", "kpi"}


def test_a_missing_relation_is_built_with_what_reads_it():
    plan = _plan(missing={"model.p.stg_a"})
    assert _names(plan) == {"stg_a", "fct_a", "kpi"}
    assert "missing relations of stg_a" in plan.reason and plan.missing == ("stg_a",) and not plan.changed_datasets


def test_the_node_a_test_belongs_to_is_built_when_the_test_reads_a_built_node():
    """rel_b_regions belongs to stg_b and reads dim_region: building dim_region runs it, so stg_b's
    task must read its verdict, and stg_b is built (with kpi, downstream of it)."""
    assert {uid.split(".")[2] for uid in to_build(_manifest(), {"seed.p.regions"})} == {
        "regions", "dim_region", "stg_b", "kpi"}


def test_the_fingerprint_follows_the_code_and_ignores_dbt_output(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.sql").write_text("select 1")
    (tmp_path / "target").mkdir()
    first = project_fingerprint(tmp_path)
    (tmp_path / "target" / "manifest.json").write_text("{}")
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "dbt.log").write_text("log")
    (tmp_path / ".user.yml").write_text("id: 1")
    assert project_fingerprint(tmp_path) == first
    (tmp_path / "models" / "m.sql").write_text("select 2")
    assert project_fingerprint(tmp_path) != first


# Models that read audit.batch only for the batches of the rows they read anyway (their own
# dataset's, through its staging model): a new batch of another dataset changes nothing in them.
OWN_BATCHES_ONLY = {"dim_enterprise_history"}


def test_a_model_reading_the_audit_trail_itself_is_rebuilt_after_any_new_batch():
    """A model that reads audit.batch outside the current_batches macro (which every staging model
    calls with its own dataset) carries the tag that rebuilds it whenever any dataset changed."""
    from taza import config

    readers = {path.stem: path.read_text() for path in (config.DBT_PROJECT_DIR / "models").rglob("*.sql")
               if "source('audit'" in path.read_text()}
    assert readers, "the project reads the audit trail somewhere (int_activity__current_batches)"
    assert {name for name, sql in readers.items() if AUDIT_TRAIL_TAG not in sql} == OWN_BATCHES_ONLY


def test_the_fingerprint_follows_the_version_of_dbt(tmp_path, monkeypatch):
    from taza.pipeline import kpi_refresh

    (tmp_path / "dbt_project.yml").write_text("name: p")
    first = project_fingerprint(tmp_path)
    monkeypatch.setattr(kpi_refresh, "version", lambda package: "9.9.9")
    assert project_fingerprint(tmp_path) != first


def test_what_reads_a_source_outside_raw_and_audit_is_built_every_time():
    manifest = _manifest()
    manifest["sources"]["source.p.reference.rates"] = {"name": "rates", "schema": "reference"}
    manifest["nodes"]["model.p.dim_region"]["depends_on"]["nodes"].append("source.p.reference.rates")
    manifest["child_map"]["source.p.reference.rates"] = ["model.p.dim_region"]
    plan = plan_build(manifest, last=LAST, fingerprint="code-1", validated_batches=dict(COUNTS), missing=set(),
                      full_requested=False)
    assert _names(plan) == {"dim_region", "stg_b", "kpi"}, "stg_b owns a test that reads dim_region"
    assert "sources whose changes are not tracked: source.p.reference.rates" in plan.reason
