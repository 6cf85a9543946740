"""The Concept scorecard end to end: the three ingest DAGs over HTTP -> GX -> dbt (Cosmos) -> marts.

The source families land their history (the AMS telemetry only its last month, through
the DAG param watermark_from), taza_build_kpis builds every model with its tests (once per
session: the ``built_history`` fixture of tests/conftest.py), and
the scorecard is checked against the simulator's own totals and DOMAIN.md's official
figures, never against numbers computed here from the warehouse itself.
"""
from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal

import pytest

from dag_runs import run_dag
from dbt_calls import run_dbt
from mart_rows import mart_business_rows
from taza.simulator.nursery.nurseries import registry_totals
from taza.simulator.nursery.seedling_stock import stock_totals
from taza.simulator.nursery.survival_inventories import INSPECTIONS, survival_totals
from taza.simulator.regional.planting_plans import plan_totals
from taza.simulator.regional.planting_reports import planting_reports, planting_totals

pytestmark = pytest.mark.integration

SCORECARD_YEARS = list(range(2021, 2030))
# KPIs with a value for each of the 20 regions (the others: where the data has a region).
REGIONAL_KPIS = ("trees_planted_cumulative", "trees_surviving_cumulative", "seedling_survival_rate")


@pytest.fixture(scope="module")
def built(built_history) -> dict[str, str]:
    """The warehouse as the session's build of the whole history left it; the ingest runs' ids by DAG."""
    built_history.restore()
    return built_history.run_ids


@pytest.fixture()
def expected_kpis(built, db):
    """Every catalogued KPI whose domain model is in the project (all of them once every domain is built)."""
    db.execute("""SELECT c.kpi_code FROM staging.kpi_catalogue c
                  WHERE EXISTS (SELECT 1 FROM information_schema.tables t  -- tables and views
                                WHERE t.table_schema = 'intermediate'
                                  AND t.table_name = 'int_kpi_values__' || c.domain)""")
    return {code for (code,) in db.fetchall()}


def national(db, kpi_code, variant="total"):
    db.execute("""SELECT year, actual_value FROM marts.kpi_concept_scorecard
                  WHERE scope = 'national' AND kpi_code = %s AND variant = %s ORDER BY year""",
               (kpi_code, variant))
    return dict(db.fetchall())


def test_scorecard_holds_every_kpi_nationally_for_every_year(built, db, expected_kpis):
    assert {"trees_planted_cumulative", "trees_surviving_cumulative", "seedling_survival_rate",
            "nursery_supply_coverage"} <= expected_kpis
    db.execute("""SELECT kpi_code, variant, array_agg(year ORDER BY year), count(DISTINCT status)
                  FROM marts.kpi_concept_scorecard WHERE scope = 'national' GROUP BY kpi_code, variant""")
    series = {(code, variant): years for code, variant, years, _ in db.fetchall()}
    assert {code for code, _ in series} == expected_kpis
    assert all(years == SCORECARD_YEARS for years in series.values())
    assert {variant for code, variant in series if code == "seedling_survival_rate"} == {"year_1", "year_3"}


def test_scorecard_holds_the_regions(built, db):
    db.execute("""SELECT kpi_code, variant, region_kato, array_agg(year ORDER BY year)
                  FROM marts.kpi_concept_scorecard WHERE scope = 'region'
                  GROUP BY kpi_code, variant, region_kato""")
    rows = db.fetchall()
    assert all(years == SCORECARD_YEARS for _, _, _, years in rows)
    regions = defaultdict(set)
    for code, variant, kato, _ in rows:
        regions[(code, variant)].add(kato)
    db.execute("SELECT region_kato FROM marts.dim_region")
    every_region = {kato for (kato,) in db.fetchall()}
    for code in REGIONAL_KPIS:
        for key in [k for k in regions if k[0] == code]:
            assert regions[key] == every_region, key
    assert regions[("nursery_supply_coverage", "total")] <= every_region


def test_trees_planted_match_the_official_cumulative_figures(built, db):
    """DOMAIN.md (O): cumulative state-forest-fund planting 2021 138 M, 2021-23 839.5 M,
    2021-24 1.15 bn, 2021-25 1.5 bn; the simulator is calibrated to them at any scale."""
    planted = national(db, "trees_planted_cumulative")
    assert (planted[2021], planted[2023], planted[2024], planted[2025]) == (
        138_000_000, 839_500_000, 1_150_000_000, 1_500_000_000)


def test_trees_planted_and_surviving_follow_the_simulator(built, db, simulator_config):
    totals = planting_totals(simulator_config)["national"]
    cumulative, expected = 0, {}
    for year in sorted({year for year, _ in totals}):
        cumulative += totals[(year, "state_forest_fund")]["trees_planted"]
        expected[year] = cumulative
    planted = national(db, "trees_planted_cumulative")
    assert {year: value for year, value in planted.items() if value is not None} == expected
    surviving = national(db, "trees_surviving_cumulative")
    assert all(0 < surviving[year] < planted[year] for year in expected)


def test_survival_rates_come_from_the_national_sums_of_the_inspections(built, db, simulator_config):
    sums = defaultdict(lambda: [0, 0])
    inspected = survival_totals(simulator_config)["national"]
    for (planting_year, inspection), value in inspected.items():
        year = planting_year + INSPECTIONS[inspection]
        sums[(inspection, year)][0] += value["surviving"]
        sums[(inspection, year)][1] += value["planted"]
    for variant in ("year_1", "year_3"):
        expected = {year: round(Decimal(s) / Decimal(p), 6) for (v, year), (s, p) in sums.items() if v == variant}
        actual = {year: value for year, value in national(db, "seedling_survival_rate", variant).items()
                  if value is not None}
        assert actual == expected


def test_nursery_stock_and_supply_coverage_follow_the_simulator(built, db, simulator_config):
    stock_national = stock_totals(simulator_config)["national"]
    db.execute("SELECT season_year, sum(seedlings_total), sum(seedlings_ready) FROM marts.fct_nursery_stock "
               "GROUP BY season_year")
    stock = {year: (total, ready) for year, total, ready in db.fetchall()}
    assert stock == {year: (s["seedlings_total"], s["seedlings_ready"]) for year, s in stock_national.items()}
    assert stock[2025][0] > 280_000_000, "DOMAIN.md (O): the nurseries held more than 280 M saplings in 2025"
    db.execute("SELECT count(*) FROM marts.dim_nursery")
    assert db.fetchone() == (registry_totals(simulator_config)["national"]["nurseries"],)
    # against next season's plan in force (its newest revision), not this season's planting
    plans = {}
    for (plan_year, revision), plan in sorted(plan_totals(simulator_config).items()):
        plans[plan_year] = plan["trees_planned"]
    expected = {year: round(Decimal(s["seedlings_ready"]) / plans[year + 1], 6)
                for year, s in stock_national.items() if year + 1 in plans}
    assert expected, "some season has next season's plan"
    coverage = national(db, "nursery_supply_coverage")
    assert {year: value for year, value in coverage.items() if value is not None} == expected


def test_targets_statuses_and_lineage(built, db):
    db.execute("""SELECT year, target_value, target_is_interpolated, target_kind, target_reached_year
                  FROM marts.kpi_concept_scorecard
                  WHERE scope = 'national' AND kpi_code = 'trees_planted_cumulative' ORDER BY year""")
    rows = db.fetchall()
    assert rows[6][1:4] == (Decimal("2000000000.000000"), False, "official_target"), "2027: the official 2 bn target"
    # DOMAIN.md (O): 1.15 bn planted 2021-24 plus the 2025 plan (370 M, revised from 336.5 M), plus over 208 M in 2026
    assert [(year, value, kind) for year, value, _, kind, _ in rows[4:6]] == [
        (2025, Decimal("1520000000.000000"), "official_plan"), (2026, Decimal("1728000000.000000"), "official_plan")]
    assert [interpolated for _, _, interpolated, _, _ in rows] == [False, True, True, True] + [False] * 5
    assert rows[0][3] == "official_baseline" and {kind for *_, kind, _ in rows[1:4]} == {
        "interpolated_between_official_points"}
    assert len({reached for *_, reached in rows}) == 1 and rows[0][4] >= 2026
    # Only official targets are judged; a complete year with a value and an official target has a status; a
    # status always names its basis.
    db.execute("""SELECT count(*) FILTER (WHERE (status = 'no_target')
                                             <> coalesce(target_kind NOT IN ('official_target', 'official_plan',
                                                                             'interpolated_between_official_points'), true)),
                         count(*) FILTER (WHERE status = 'no_data' AND NOT is_partial_year AND actual_value IS NOT NULL
                                            AND status <> 'no_target' AND target_value IS NOT NULL),
                         count(*) FILTER (WHERE status IN ('on_track', 'at_risk', 'off_track') AND status_basis IS NULL),
                         count(*) FILTER (WHERE actual_value IS NOT NULL AND cardinality(lineage_batch_ids) = 0)
                  FROM marts.kpi_concept_scorecard""")
    assert db.fetchone() == (0, 0, 0, 0)
    db.execute("""SELECT count(*) FROM (SELECT DISTINCT unnest(lineage_batch_ids) AS batch_id
                                        FROM marts.kpi_concept_scorecard) ids
                  WHERE NOT EXISTS (SELECT 1 FROM audit.batch b
                                    WHERE b.batch_id = ids.batch_id AND b.status = 'validated')""")
    assert db.fetchone() == (0,), "every lineage id is a validated batch"


def test_lineage_names_the_registries_a_figure_depends_on(built, db):
    """A regional supply figure places nurseries through their registry; telemetry completeness
    expects readings from every registered stack: both registries' batches are in the lineage."""
    db.execute("""SELECT s.kpi_code, s.scope, array_agg(DISTINCT b.dataset ORDER BY b.dataset)
                  FROM marts.kpi_concept_scorecard s
                  CROSS JOIN LATERAL unnest(s.lineage_batch_ids) AS id
                  JOIN audit.batch b ON b.batch_id = id
                  WHERE s.kpi_code IN ('nursery_supply_coverage', 'telemetry_completeness')
                  GROUP BY 1, 2 ORDER BY 1, 2""")
    assert db.fetchall() == [
        ("nursery_supply_coverage", "national", ["nursery__seedling_stock", "regional__planting_plans"]),
        ("nursery_supply_coverage", "region", ["nursery__nurseries", "nursery__seedling_stock",
                                               "regional__planting_plans"]),
        ("telemetry_completeness", "national", ["industry__ams_stacks", "industry__telemetry"]),
        ("telemetry_completeness", "region", ["industry__ams_stacks", "industry__telemetry"])]


def test_quality_report_traces_the_trees_slice_to_its_own_feed(built, db):
    """kpi_trees_planted reads the scorecard (whose model reads every feed), but its figures come from
    the planting reports only: the report's lineage walks that feed, the scorecard's walks all it names."""
    from taza.reports.quality_data import kpi_lineage

    lineages = {lineage.table: lineage for lineage in kpi_lineage(db)}
    trees = lineages["kpi_trees_planted"]
    assert trees.staging == ["stg_regional__planting_reports"]
    assert {batch["dataset"] for batches in trees.batches_by_year.values() for batch in batches} == {
        "regional__planting_reports"}
    assert {"stg_industry__telemetry", "stg_industry__ams_stacks", "stg_nursery__nurseries",
            "stg_regional__planting_reports"} <= set(lineages["kpi_concept_scorecard"].staging)


def test_no_on_track_comes_from_a_target_copied_from_its_actual(built, db):
    """DOMAIN.md (O): MSW processed 25.8 % in 2024 against the 2024 plan of 30 %; the campaign's and dumps'
    "keep the 2024 level" figures are copied actuals, so they are estimates and judge nothing; the trees path
    runs through the official plans, not through the calibrated 2024 actual."""
    db.execute("""SELECT kpi_code, year, actual_value, target_value, target_kind FROM marts.kpi_concept_scorecard
                  WHERE status = 'on_track' AND actual_value = target_value
                    AND target_kind NOT IN ('official_target', 'official_plan', 'interpolated_between_official_points')""")
    assert db.fetchall() == []
    # nor from a simulated actual placed on the target's path (the simulator's estimates leave it)
    db.execute("""SELECT kpi_code, year FROM marts.kpi_concept_scorecard
                  WHERE scope = 'national' AND status = 'on_track' AND status_basis = 'actual'
                    AND actual_value = target_value""")
    assert db.fetchall() == []
    db.execute("""SELECT actual_value <> target_value FROM marts.kpi_concept_scorecard
                  WHERE scope = 'national' AND kpi_code = 'trees_planted_cumulative' AND year = 2024""")
    assert db.fetchone() == (True,)
    db.execute("""SELECT target_value, target_kind, status FROM marts.kpi_concept_scorecard
                  WHERE scope = 'national' AND kpi_code = 'msw_processing_share' AND year = 2024""")
    assert db.fetchone() == (Decimal("0.300000"), "official_plan", "off_track")
    db.execute("""SELECT DISTINCT status FROM marts.kpi_concept_scorecard
                  WHERE kpi_code IN ('campaign_participants', 'waste_collected_t', 'dumps_detected') AND year = 2024""")
    assert db.fetchall() == [("no_target",)]


def test_projections_stay_above_their_floor_and_need_two_complete_years(built, db):
    db.execute("""SELECT count(*) FILTER (WHERE projected_value IS NOT NULL AND projection_method = 'none'),
                         count(*) FILTER (WHERE projected_value IS NULL AND projection_method <> 'none'),
                         count(*) FILTER (WHERE unit = 'share' AND projected_value > 1)
                  FROM marts.kpi_concept_scorecard""")
    assert db.fetchone() == (0, 0, 0)
    db.execute("""SELECT s.kpi_code, s.variant, s.scope, s.region_kato, s.year, s.projected_value
                  FROM marts.kpi_concept_scorecard s
                  JOIN staging.kpi_catalogue c USING (kpi_code)
                  WHERE c.accumulation = 'annual' AND s.projected_value < -0.000001 + 0.8 * (
                        SELECT min(h.actual_value) FROM marts.kpi_concept_scorecard h
                        WHERE h.kpi_code = s.kpi_code AND h.variant = s.variant AND h.scope = s.scope
                          AND h.region_kato IS NOT DISTINCT FROM s.region_kato
                          AND h.enterprise_bin IS NOT DISTINCT FROM s.enterprise_bin AND NOT h.is_partial_year)""")
    assert db.fetchall() == [], "waste per participant, survival and dumps stay above 0.8 x their lowest complete value"


def test_openlineage_leads_from_the_scorecard_back_to_every_source_endpoint(built, built_history, warehouse_url,
                                                                            simulator):
    """The task events of the runs above form one graph: the scorecard's table reaches, through dbt's
    job and the land tasks, the endpoint of every dataset of the three families; each gate reports
    its raw table's expectations."""
    from openlineage_graph import assert_scorecard_traces_to_every_source, read_events

    from taza.sources.catalogue import DATASETS

    judged = assert_scorecard_traces_to_every_source(read_events(built_history.lineage_events), warehouse_url,
                                                     simulator.url)
    assert judged == set(DATASETS), "every gate of the history's runs reports its expectations"


def test_each_batch_names_the_openlineage_runs_that_landed_and_judged_it(built, built_history, db, warehouse_url):
    """audit.batch's land and gate run ids are the runIds of the tasks' events: the land task's
    event writes the batch's raw table, the gate's reads it; the quality report's KPI lineage
    shows them next to each batch."""
    from openlineage_graph import read_events
    from taza.pipeline import lineage
    from taza.sources.catalogue import DATASETS

    completed = {e["run"]["runId"]: e for e in read_events(built_history.lineage_events)
                 if e.get("eventType") == "COMPLETE"}
    db.execute("""SELECT dataset, land_lineage_run_id::text, gate_lineage_run_id::text FROM audit.batch
                  WHERE run_id = ANY(%s)""", (list(built_history.run_ids.values()),))
    batches = db.fetchall()
    assert {dataset for dataset, _, _ in batches} == set(DATASETS)
    for dataset, land_run, gate_run in batches:
        raw = lineage.warehouse_table_name(warehouse_url, DATASETS[dataset].raw_table)
        assert raw in {o["name"] for o in completed[land_run]["outputs"]}, (dataset, land_run)
        assert [i["name"] for i in completed[gate_run]["inputs"]] == [raw], (dataset, gate_run)
    db.execute("""SELECT land_lineage_run_id::text, gate_lineage_run_id::text FROM audit.batch
                  WHERE dataset = 'regional__planting_reports' AND run_id = %s
                  ORDER BY interval_start DESC LIMIT 1""", (built_history.run_ids["taza_ingest_regional"],))
    report = (built_history.reports / "quality" / "index.html").read_text()
    assert all(run_id in report for run_id in db.fetchone()), "the KPI lineage names the newest batch's runs"


def test_scorecard_history_holds_one_open_version_per_row(built, db):
    """Every published row has one open version carrying its figures, and is_restated marks exactly the
    rows whose history holds a restatement (earlier builds of this test session add versions)."""
    db.execute("""SELECT s.scorecard_key, count(h.*),
                         bool_and(h.actual_value IS NOT DISTINCT FROM s.actual_value
                                  AND h.status IS NOT DISTINCT FROM s.status
                                  AND h.target_value IS NOT DISTINCT FROM s.target_value)
                  FROM marts.kpi_concept_scorecard s
                  LEFT JOIN marts.kpi_scorecard_history h ON h.scorecard_key = s.scorecard_key AND h.valid_to IS NULL
                  GROUP BY s.scorecard_key HAVING count(h.*) <> 1 OR NOT bool_and(
                         h.actual_value IS NOT DISTINCT FROM s.actual_value AND h.status IS NOT DISTINCT FROM s.status
                         AND h.target_value IS NOT DISTINCT FROM s.target_value)""")
    assert db.fetchall() == [], "one open version per row, with the row's figures"
    db.execute("""SELECT s.scorecard_key FROM marts.kpi_concept_scorecard s
                  WHERE s.is_restated IS DISTINCT FROM EXISTS (
                        SELECT 1 FROM marts.kpi_scorecard_history h
                        WHERE h.scorecard_key = s.scorecard_key AND h.is_restatement)""")
    assert db.fetchall() == [], "is_restated marks exactly the rows with a restatement in their history"


# The trees-planted slice (kpi_trees_planted), checked on the same build.

def test_every_planting_report_served_is_in_raw_once_and_accounted_for(built, db, simulator_config):
    served = planting_reports(simulator_config)
    history_run = built["taza_ingest_regional"]
    db.execute("""SELECT count(*), count(DISTINCT report_id), sum(trees_planted)
                  FROM raw.regional__planting_reports r JOIN audit.batch b ON b.batch_id = r._batch_id
                  WHERE b.run_id = %s""", (history_run,))
    assert db.fetchone() == (len(served), len(served), sum(r["trees_planted"] for r in served))
    db.execute("""SELECT count(*), count(*) FILTER (WHERE status = 'validated'),
                         count(*) FILTER (WHERE received_count = loaded_count + quarantined_count),
                         sum(received_count), sum(quarantined_count)
                  FROM audit.batch WHERE run_id = %s AND dataset = 'regional__planting_reports'""", (history_run,))
    batches, validated, balanced, received, quarantined = db.fetchone()
    assert batches == validated == balanced == 70  # one batch per month, 2021-01 .. 2026-10
    assert (received, quarantined) == (len(served), 0)


def test_kpi_trees_planted_matches_the_simulators_totals(built, db, simulator_config):
    """The nation's state-forest-fund plantings per year and cumulated, against the 2 bn target;
    every year complete but the simulator's current one (reports through October 2026)."""
    totals = planting_totals(simulator_config)
    by_year = defaultdict(int)
    for (year, programme), value in totals["national"].items():
        if programme == "state_forest_fund":
            by_year[year] += value["trees_planted"]
    db.execute("""SELECT year, trees_planted_year, trees_planted_cumulative, target_value, target_year,
                         is_year_complete, months_covered
                  FROM marts.kpi_trees_planted WHERE scope = 'national' ORDER BY year""")
    rows = db.fetchall()
    cumulative = 0
    expected = []
    for year in sorted(by_year):
        cumulative += by_year[year]
        complete = year < simulator_config.today.year
        expected.append((year, by_year[year], cumulative, 2_000_000_000, 2027, complete,
                         12 if complete else simulator_config.today.month - 1))
    assert rows == expected


def test_kpi_trees_planted_regions_add_up_to_the_nation_and_match_the_simulator(built, db, simulator_config):
    totals = planting_totals(simulator_config)["regional"]
    db.execute("""SELECT region_kato, year, trees_planted_year FROM marts.kpi_trees_planted WHERE scope = 'region'""")
    actual = {(kato, year): trees for kato, year, trees in db.fetchall()}
    expected = {(kato, year): value["trees_planted"]
                for (kato, year, programme), value in totals.items() if programme == "state_forest_fund"}
    assert actual == expected


def test_official_state_forest_fund_total_2021_2024(built, db):
    """DOMAIN.md: 1.15 bn trees planted in the state forest fund in 2021-2024 (official)."""
    db.execute("""SELECT trees_planted_cumulative FROM marts.kpi_trees_planted
                  WHERE scope = 'national' AND year = 2024""")
    assert db.fetchone() == (1_150_000_000,)


def test_dbt_unit_tests_pass_in_a_dbt_build_on_the_built_warehouse(built, warehouse_url, dbt_manifest, tmp_path):
    """dbt build of every model that has unit tests (each KPI formula, the status rule, interpolation,
    projection, staging) and of what depends on them (a rebuilt view drops its dependants): every unit
    test of the manifest runs and passes."""
    unit_tests = json.loads(dbt_manifest.read_text())["unit_tests"].values()
    models = sorted({test["model"] + "+" for test in unit_tests})
    result = run_dbt(warehouse_url, "build", "--select", *models, "--indirect-selection", "cautious",
                     "--target-path", str(tmp_path), check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    results = json.loads((tmp_path / "run_results.json").read_text())["results"]
    ran = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    assert set(ran) == {test["unique_id"] for test in unit_tests}
    assert {"kpi_values_forestry_formulas", "kpi_values_nursery_supply_coverage",
            "kpi_targets_interpolate_between_baseline_and_target", "msw_2024_status_uses_official_plan_30pct",
            "no_official_target_gives_no_target", "waste_per_participant_projection_not_below_floor",
            "count_past_at_most_target_judged_year_to_date",
            "commitment_fulfilment_mid_year_not_judged_against_full_year",
            "finished_year_with_no_december_data_is_actual", "scorecard_target_reached_year",
            "restated_complete_year_is_recorded_with_old_and_new_value"} <= {test["name"] for test in unit_tests}
    assert set(ran.values()) == {"pass"}


def test_rerun_of_an_interval_of_every_family_changes_no_mart(built, db):
    before = mart_business_rows(db)
    assert {"kpi_concept_scorecard", "kpi_trees_planted", "dim_nursery", "fct_nursery_stock",
            "fct_survival_inspections", "dim_date", "dim_region"} <= set(before)
    db.execute("SELECT count(*) FROM staging.stg_regional__planting_reports")
    staged_before = db.fetchone()
    may_2024_before = may_2024_planting_batches(db)  # other modules of the session may have landed the month too
    run_dag("taza_ingest_regional", {"period_from": "2024-05", "period_to": "2024-05"})
    run_dag("taza_ingest_nursery", {"period_from": "2025-12", "period_to": "2025-12"})
    run_dag("taza_ingest_industry", {"period_from": "2026-10", "period_to": "2026-10"})
    run_dag("taza_build_kpis")
    assert mart_business_rows(db) == before
    db.execute("""SELECT dataset, count(*) FROM audit.batch
                  WHERE dataset IN ('nursery__nurseries', 'nursery__seedling_stock') AND status = 'validated'
                  GROUP BY dataset ORDER BY dataset""")
    assert [count >= 2 for _, count in db.fetchall()] == [True, True], "the rerun landed new batches"
    assert may_2024_planting_batches(db) == may_2024_before + 1, "raw is append-only: the rerun is one more batch"
    db.execute("SELECT count(*) FROM staging.stg_regional__planting_reports")
    assert db.fetchone() == staged_before
    db.execute("""SELECT count(DISTINCT _batch_id) FROM staging.stg_regional__planting_reports
                  WHERE period_month = '2024-05-01'""")
    assert db.fetchone() == (1,), "staging reads only the newest validated batch"


def may_2024_planting_batches(db) -> int:
    db.execute("""SELECT count(*) FROM audit.batch
                  WHERE dataset = 'regional__planting_reports' AND interval_start = '2024-05-01'""")
    return db.fetchone()[0]
