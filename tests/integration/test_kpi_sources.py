"""The planting plans and the AMS stack registry end to end: simulator over HTTP -> the
family DAGs' land and gate tasks -> dbt staging and marts, checked against the official
figures and the simulator's own records."""
from __future__ import annotations


import pytest

from dag_runs import run_dag
from dbt_calls import run_dbt
from taza.simulator.industry.ams_stacks import ams_stack_records
from taza.simulator.industry.telemetry import _feed

pytestmark = pytest.mark.integration

ONE_MONTH = {"period_from": "2026-10", "period_to": "2026-10"}
ONLY = r"(?!(land|validate)_({})$).*"  # every other task is marked success, not run


def run_only(dag_id, entities):
    """A one-month run of ``dag_id`` that lands only ``entities`` (the other tasks marked success)."""
    run_dag(dag_id, ONE_MONTH, skip=ONLY.format("|".join(entities)))


def build(warehouse_url, *models):
    run_dbt(warehouse_url, "build", "--select", *(f"+{m}" for m in models), "--indirect-selection", "cautious")


@pytest.fixture(scope="module")
def marts(airflow_env, staging_views, warehouse_url):
    run_only("taza_ingest_regional", ["planting_plans"])
    run_only("taza_ingest_industry", ["enterprises", "ams_stacks"])
    build(warehouse_url, "fct_planting_plans", "dim_ams_stack", "dim_enterprise")


def test_plans_keep_every_revision_and_mark_the_one_in_force(marts, db):
    db.execute("""SELECT plan_year, revision, bool_and(is_current_revision), sum(trees_planned), sum(area_planned_ha)
                  FROM marts.fct_planting_plans GROUP BY 1, 2 ORDER BY 1, 2""")
    national = {(year, revision): (current, trees, area) for year, revision, current, trees, area in db.fetchall()}
    assert national[2025, 1] == (False, 336_500_000, 494_000)
    assert national[2025, 2][:2] == (True, 370_000_000)
    assert national[2026, 1][0] and national[2026, 1][1] > 208_000_000
    db.execute("""SELECT count(*) FROM (SELECT region_kato, plan_year FROM marts.fct_planting_plans
                  GROUP BY 1, 2 HAVING count(*) FILTER (WHERE is_current_revision) <> 1) AS wrong""")
    assert db.fetchone()[0] == 0
    db.execute("SELECT DISTINCT superseded_on FROM marts.fct_planting_plans WHERE plan_year = 2025 AND revision = 1")
    assert [row[0].isoformat() for row in db.fetchall()] == ["2025-06-16"]


def test_stack_registry_counts_silent_stacks_and_matches_the_telemetry_series(marts, db, simulator_config):
    db.execute("""SELECT count(*), count(*) FILTER (WHERE is_connected), count(DISTINCT enterprise_bin)
                  FROM marts.dim_ams_stack_v2""")
    rows, connected, enterprises = db.fetchone()
    assert rows == len(ams_stack_records(simulator_config))
    assert connected == len(_feed(simulator_config.seed, simulator_config.scale).series)
    assert enterprises == 91 and rows > connected, "obliged enterprises sending nothing are in the registry"
    db.execute("""SELECT count(*) FROM marts.dim_ams_stack_v2 AS stack
                  LEFT JOIN marts.dim_enterprise_v2 AS enterprise USING (enterprise_bin)
                  WHERE NOT enterprise.is_ams_obliged OR enterprise.enterprise_bin IS NULL""")
    assert db.fetchone()[0] == 0


@pytest.mark.parametrize("relation, old_columns, new_columns", [
    ("dim_enterprise", "bin, ams_obliged, ams_installed, ams_connected, region_kato",
     "enterprise_bin, is_ams_obliged, is_ams_installed, is_ams_connected, region_kato"),
    ("dim_ams_stack", "registry_id, bin, is_connected", "registry_id, enterprise_bin, is_connected"),
])
def test_deprecated_version_keeps_the_old_names_and_says_what_replaces_it(marts, db, relation, old_columns,
                                                                          new_columns):
    """A BI query written before the renaming still runs against the old relation (version 1 of the
    versioned mart) and reads the rows of the latest version, whose comment does not mention a deprecation."""
    db.execute(f"""SELECT count(*), (SELECT count(*) FROM marts.{relation}_v2),
                         (SELECT count(*) FROM (SELECT {old_columns} FROM marts.{relation}
                                                EXCEPT SELECT {new_columns} FROM marts.{relation}_v2) AS differing)
                  FROM marts.{relation}""")
    rows, latest_rows, differing = db.fetchone()
    assert rows == latest_rows > 0 and differing == 0
    db.execute("SELECT obj_description(%s::regclass), obj_description(%s::regclass)",
               (f"marts.{relation}", f"marts.{relation}_v2"))
    old_comment, new_comment = db.fetchone()
    assert "DEPRECATED" in old_comment and f"marts.{relation}_v2" in old_comment
    assert "DEPRECATED" not in new_comment
