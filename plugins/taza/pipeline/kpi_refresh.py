"""Which dbt nodes a KPI build rebuilds: those whose inputs may have changed since the last KPI
build that succeeded on this warehouse, and everything downstream of them.

The rule, stated once. A node's relation can differ from what that build left only if
  1. the dbt project's code differs (any file of dbt_project/ outside target/ and logs/:
     models, macros, seeds, vars...), or the version of dbt or its adapter: then every node is rebuilt;
  2. a raw dataset it reads (a dbt source upstream of it) has a newly validated batch. Staging
     reads only validated batches (macro current_batches), a batch is validated once and never
     un-validated, and the gate quarantines a batch's bad rows in the transaction that validates it;
     so what staging reads can change only when the count of a dataset's validated batches
     grows, whatever order batches commit in (a batch rejected by the gate changes nothing);
  3. it reads the landing audit trail of every dataset (dbt tag ``reads_audit_trail``), and
     any dataset changed;
  4. its relation is missing from the warehouse (dropped by hand, or never built); or
  5. it reads a dbt source outside the raw and audit schemas, whose changes nothing here tracks.
Those nodes and everything downstream of them are built, each with its tests (dbt's indirect
selection: a test runs when any node it reads is built, so the node it belongs to is built too,
see ``to_build``); the others keep their relations.
With no succeeded build on record, or when the run's param ``full_build`` asks, every node is
built. The counts are read before dbt starts: a batch validated while the build runs may or
may not be read by it, and is new to the next build, which reads it again (idempotent).

Each build is a row of ``audit.kpi_build``, marked succeeded when every node task of its DAG
run succeeded or was skipped as unchanged; a failed run's changes stay pending for the next.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from psycopg2.extras import Json

from taza.pipeline.dbt_node_tests import BUILT_RESOURCE_TYPES, own_tests_of_each_node, versioned_name

AUDIT_TRAIL_TAG = "reads_audit_trail"
# The schemas of the dbt sources whose changes the rule tracks: raw (validated batches) and audit.
TRACKED_SCHEMAS = ("raw", "audit")
# Directories of a dbt project that hold no code: dbt's output and Python's caches (and, below,
# hidden files and directories: .gitignore, dbt's .user.yml).
NOT_CODE = frozenset({"target", "logs", "dbt_packages", "__pycache__"})
DBT_PACKAGES = ("dbt-core", "dbt-postgres")


@dataclass(frozen=True)
class SucceededBuild:
    build_id: int
    run_id: str
    project_fingerprint: str
    validated_batches: dict[str, int]


# Why a build builds what it builds (audit.kpi_build.cause; the reports translate it).
FULL_BUILD_ASKED, FIRST_BUILD, PROJECT_CHANGED = "full_build_asked", "first_build", "project_changed"
INPUTS_CHANGED, NOTHING_CHANGED = "inputs_changed", "nothing_changed"


@dataclass(frozen=True)
class KpiBuildPlan:
    """``rebuilt``: the unique ids of the models, seeds and snapshots to build (all of them when full);
    ``cause``: one of the causes above; ``reason``: the same in a sentence, for logs and task notes;
    ``changed_datasets`` and ``missing``: the datasets with new validated batches and the nodes whose
    relation was missing that a refresh starts from."""
    full: bool
    cause: str
    reason: str
    rebuilt: frozenset[str]
    changed_datasets: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    def selection(self, manifest: dict) -> list[str] | None:
        """The node names for dbt's ``--select``, sorted; None for a full build (no selection)."""
        if self.full:
            return None
        return sorted(versioned_name(manifest["nodes"][uid]) for uid in self.rebuilt)

    def as_xcom(self) -> dict:
        return {"full": self.full, "cause": self.cause, "reason": self.reason, "rebuilt": sorted(self.rebuilt)}


def project_fingerprint(project_dir: Path) -> str:
    """SHA-256 of every code file of the dbt project (paths and contents) and of the versions of dbt
    and its adapter, whose macros build the relations too."""
    digest = hashlib.sha256(" ".join(f"{package}=={version(package)}" for package in DBT_PACKAGES).encode())
    for root, dirs, files in os.walk(project_dir):
        dirs[:] = sorted(d for d in dirs if d not in NOT_CODE and not d.startswith("."))
        for name in sorted(f for f in files if not f.startswith(".")):
            path = Path(root) / name
            digest.update(str(path.relative_to(project_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def built_nodes(manifest: dict) -> frozenset[str]:
    return frozenset(uid for uid, node in manifest["nodes"].items()
                     if node["resource_type"] in BUILT_RESOURCE_TYPES)


def downstream_of(manifest: dict, starts: set[str]) -> frozenset[str]:
    """The built nodes among ``starts`` and every node downstream of them."""
    seen, todo = set(), list(starts)
    while todo:
        uid = todo.pop()
        if uid not in seen:
            seen.add(uid)
            todo.extend(manifest["child_map"].get(uid, []))
    return frozenset(seen) & built_nodes(manifest)


def to_build(manifest: dict, starts: set[str]) -> frozenset[str]:
    """``downstream_of(starts)``, closed over tests: a test runs when any node it reads is built, and
    its verdict is reported by the task of the node it belongs to (taza.pipeline.dbt_node_tests),
    so that node is built too (with what is downstream of it), or the verdict would go unread."""
    owners: dict[str, set[str]] = {}
    for owner, tests in own_tests_of_each_node(manifest).items():
        for test in tests:
            owners.setdefault(test, set()).add(owner)
    rebuilt = downstream_of(manifest, starts)
    while True:
        unread = {owner for test, its_owners in owners.items()
                  if rebuilt.intersection(manifest["nodes"][test]["depends_on"]["nodes"])
                  for owner in its_owners} - rebuilt
        if not unread:
            return rebuilt
        rebuilt |= downstream_of(manifest, unread)


def plan_build(manifest: dict, *, last: SucceededBuild | None, fingerprint: str,
               validated_batches: dict[str, int], missing: set[str], full_requested: bool) -> KpiBuildPlan:
    """What to build (module docstring), from the last succeeded build and the warehouse's state now."""
    every_node = built_nodes(manifest)
    if full_requested:
        return KpiBuildPlan(True, FULL_BUILD_ASKED, "a full build: the run's param full_build", every_node)
    if last is None:
        return KpiBuildPlan(True, FIRST_BUILD, "a full build: no KPI build has succeeded on this warehouse yet",
                            every_node)
    if last.project_fingerprint != fingerprint:
        return KpiBuildPlan(True, PROJECT_CHANGED,
                            f"a full build: the dbt project changed since KPI build {last.build_id}", every_node)
    changed = tuple(sorted(dataset for dataset, count in validated_batches.items()
                           if count != last.validated_batches.get(dataset, 0)))
    sources = {uid for uid, source in manifest["sources"].items()
               if source["schema"] == "raw" and source["name"] in changed}
    reading_every_batch = {uid for uid in every_node if AUDIT_TRAIL_TAG in manifest["nodes"][uid]["tags"]}
    untracked = {uid for uid, source in manifest["sources"].items() if source["schema"] not in TRACKED_SCHEMAS}
    rebuilt = to_build(manifest, sources | (reading_every_batch if changed else set()) | missing | untracked)
    missing_names = tuple(sorted(versioned_name(manifest["nodes"][uid]) for uid in missing))
    why = [f"new validated batches of {', '.join(changed)}"] if changed else []
    if missing:
        why.append(f"missing relations of {', '.join(missing_names)}")
    if untracked:
        why.append(f"sources whose changes are not tracked: {', '.join(sorted(untracked))}")
    since = f"since KPI build {last.build_id} (run {last.run_id})"
    if not rebuilt:
        return KpiBuildPlan(False, NOTHING_CHANGED, f"nothing to build: no input of any node changed {since}", rebuilt)
    return KpiBuildPlan(False, INPUTS_CHANGED, f"{len(rebuilt)} of {len(every_node)} nodes, downstream of what "
                        f"changed {since}: " + "; ".join(why), rebuilt, changed, missing_names)


def validated_batch_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT dataset, count(*) FROM audit.batch WHERE status = 'validated' GROUP BY dataset")
    return dict(cursor.fetchall())


def missing_relations(cursor, manifest: dict) -> set[str]:
    """The built nodes (not ephemeral) whose table or view is not in the warehouse."""
    relations = {uid: (manifest["nodes"][uid]["schema"], manifest["nodes"][uid].get("alias")
                       or manifest["nodes"][uid]["name"])
                 for uid in built_nodes(manifest)
                 if manifest["nodes"][uid]["config"].get("materialized") != "ephemeral"}
    uids = sorted(relations)
    cursor.execute("""SELECT uid FROM unnest(%s::text[], %s::text[], %s::text[]) AS node(uid, schema_name, name)
                      WHERE to_regclass(format('%%I.%%I', schema_name, name)) IS NULL""",
                   (uids, [relations[u][0] for u in uids], [relations[u][1] for u in uids]))
    return {uid for (uid,) in cursor.fetchall()}


def last_succeeded_build(cursor) -> SucceededBuild | None:
    cursor.execute("""SELECT build_id, run_id, project_fingerprint, validated_batches FROM audit.kpi_build
                      WHERE succeeded_at IS NOT NULL ORDER BY build_id DESC LIMIT 1""")
    row = cursor.fetchone()
    return SucceededBuild(*row) if row else None


def plan_from_warehouse(cursor, manifest: dict, project_dir: Path, *, full_requested: bool = False
                        ) -> tuple[KpiBuildPlan, dict[str, int], str]:
    """The plan for a build starting now, with the counts and fingerprint it was made from."""
    fingerprint, counts = project_fingerprint(project_dir), validated_batch_counts(cursor)
    plan = plan_build(manifest, last=last_succeeded_build(cursor), fingerprint=fingerprint,
                      validated_batches=counts, missing=missing_relations(cursor, manifest),
                      full_requested=full_requested)
    return plan, counts, fingerprint


def record_start(cursor, dag_id: str, run_id: str, plan: KpiBuildPlan, counts: dict[str, int],
                 fingerprint: str) -> int:
    """A new row of audit.kpi_build for a build about to start; returns its build_id."""
    cursor.execute("""INSERT INTO audit.kpi_build (dag_id, run_id, project_fingerprint, validated_batches,
                                                   is_full, cause, reason, rebuilt_nodes, changed_datasets,
                                                   missing_relations)
                      VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING build_id""",
                   (dag_id, run_id, fingerprint, Json(counts), plan.full, plan.cause, plan.reason,
                    None if plan.full else sorted(plan.rebuilt), list(plan.changed_datasets), list(plan.missing)))
    return cursor.fetchone()[0]


def record_success(cursor, build_id: int) -> None:
    cursor.execute("UPDATE audit.kpi_build SET succeeded_at = now() WHERE build_id = %s", (build_id,))
    if cursor.rowcount != 1:
        raise LookupError(f"KPI build {build_id} is not in audit.kpi_build: its producer task recorded "
                          "no start; run the DAG again (its next build plans from the last one recorded)")
