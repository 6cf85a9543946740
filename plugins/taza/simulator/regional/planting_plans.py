"""Regional API family: the state-forest-fund planting plans, one record per region, plan
year and revision, served as a register (every revision published before ``today``).

National totals (trees and area) per plan year and revision are exact (``PLAN_REVISIONS``); the seed moves
the plan between regions like the planting reports' split (forest profiles, +-20 %),
with the regional plans the press reported pinned. A plan is published before its year
(the next year's plan in December or January) and may be revised during it: a revision
is a new record of the same region and year, and the register keeps the old one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from taza.simulator.allocation import largest_remainder
from taza.simulator.calibration import FOREST_PROFILES
from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.regions import REGIONS
from taza.simulator.streams import stream


@dataclass(frozen=True)
class PlanRevision:
    year: int
    revision: int
    published_on: date
    trees: int
    area_ha: int


# (O) 2022 plan 278.8 M on 111,499 ha (Forestry Committee); 2025 plan 336.5 M on 494 k ha
# (published 23 Jan 2025), revised to 370 M (the revision date and its 543 k ha are E);
# 2026 over 208 M (published 19 Dec 2025; E: 208.5 M). (E) No plan figure was published
# for 2021, 2023, 2024 or 2027: those plans are set consistent with DOMAIN.md's actuals
# (2021 equal to the 138 M planted on 66 k ha; 2023 and 2024 a little below the 420 M
# and 310.5 M planted, which exceeded them) and 2027 with what the 2 bn target leaves
# (published 18 Dec 2026). (E) Areas without an official figure: 2,500 seedlings/ha for
# 2023-2024 as in the 2022 plan, about 680/ha for 2026-2027 as in the 2025 plan (which
# counts aerial seeding of saxaul).
PLAN_REVISIONS = (
    PlanRevision(2021, 1, date(2021, 1, 26), 138_000_000, 66_000),
    PlanRevision(2022, 1, date(2022, 1, 20), 278_800_000, 111_499),
    PlanRevision(2023, 1, date(2023, 1, 19), 400_000_000, 160_000),
    PlanRevision(2024, 1, date(2024, 1, 18), 300_000_000, 120_000),
    PlanRevision(2025, 1, date(2025, 1, 23), 336_500_000, 494_000),
    PlanRevision(2025, 2, date(2025, 6, 16), 370_000_000, 543_000),
    PlanRevision(2026, 1, date(2025, 12, 19), 208_500_000, 306_000),
    PlanRevision(2027, 1, date(2026, 12, 18), 292_000_000, 429_000),
)

# (O) Regional plans reported by the press: West Kazakhstan 2025-2027 (mgorod.kz), Jambyl
# 2026 (qazinform); kept in every revision of their year.
REGIONAL_PLANS = {
    ("270000000", 2025): (8_260_000, 2_220),
    ("270000000", 2026): (8_800_000, 2_370),
    ("270000000", 2027): (9_500_000, 2_555),
    ("310000000", 2026): (16_000_000, 8_900),
}


def planting_plans(config: SimulatorConfig) -> list[dict]:
    """Every plan record served under ``config``, in API order (plan_year, revision, region_kato)."""
    return [dict(record) for record in _served(config)]


def plan_totals(config: SimulatorConfig) -> dict[tuple[int, int], dict]:
    """National sums of the served plans: {(plan_year, revision): {"trees_planned": int, "area_planned_ha": int}}."""
    totals: dict[tuple[int, int], dict] = {}
    for record in _served(config):
        sums = totals.setdefault((record["plan_year"], record["revision"]), {"trees_planned": 0, "area_planned_ha": 0})
        sums["trees_planned"] += record["trees_planned"]
        sums["area_planned_ha"] += record["area_planned_ha"]
    return totals


@lru_cache(maxsize=8)
def _served(config: SimulatorConfig) -> tuple[dict, ...]:
    return tuple(record for plan in PLAN_REVISIONS if plan.published_on < config.today
                 for record in _revision_records(config.seed, plan))


DATASET = SimulatedDataset(name="planting_plans", path="/regional/v1/planting-plans", request="snapshot",
                           generate=_served, totals=plan_totals)


def _revision_records(seed: int, plan: PlanRevision) -> list[dict]:
    pinned = {kato: figures for (kato, year), figures in REGIONAL_PLANS.items() if year == plan.year}
    free = [region for region in REGIONS if region.kato not in pinned]
    rng = stream(seed, "plan-regions", plan.year)  # one split per year: a revision scales it
    weights = [FOREST_PROFILES[region.kato].weight * rng.uniform(0.8, 1.2) for region in free]
    trees = dict(zip((r.kato for r in free),
                     largest_remainder(plan.trees - sum(t for t, _ in pinned.values()), weights)))
    # The national area is shared in proportion to each region's trees over its planting density.
    natural_area = [trees[region.kato] / FOREST_PROFILES[region.kato].density_per_ha for region in free]
    areas = dict(zip((r.kato for r in free),
                     largest_remainder(plan.area_ha - sum(a for _, a in pinned.values()), natural_area)))
    records = []
    for region in REGIONS:
        planned_trees, planned_area = pinned.get(region.kato, (trees.get(region.kato), areas.get(region.kato)))
        records.append({
            "plan_id": f"PP-{region.kato}-{plan.year}-R{plan.revision}",
            "region_kato": region.kato,
            "region_name": region.name,
            "plan_year": plan.year,
            "revision": plan.revision,
            "published_on": plan.published_on.isoformat(),
            "programme": "state_forest_fund",
            "trees_planned": planned_trees,
            "area_planned_ha": planned_area,
        })
    return records
