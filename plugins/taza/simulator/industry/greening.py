"""Corporate tree planting, generated together for two datasets (``commitments`` and
``plantings``): yearly commitments per enterprise and monthly plantings.

Holdings with published figures (ERG, Qarmet, Solidcore Resources, ...) follow their
plans exactly, split over their sites by size; other enterprises commit at random and
fulfil 55-135 % of it. Planting follows the regional seasons of the akimat reports,
and areas follow the regional forest planting densities unless a plan states the area.
Whole years are generated, then cut: a year's commitments are served from its first
month on, plantings up to the last complete month. About 10 % of the other enterprises'
commitments are revised after the year's audit, in March-May of the next year; the
revised figure is the one the planting is measured against (fulfilment), and it is
served once the revision date lies before ``today``, the first figure until then.
The plans' commitments and all plantings never change as ``today`` moves on.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from taza.simulator.allocation import largest_remainder
from taza.simulator.calibration import FIRST_YEAR, FOREST_PROFILES, SEASON_PERCENT
from taza.simulator.config import SimulatorConfig
from taza.simulator.industry.calibration import (
    FULFILMENT_RANGE,
    HOLDING_PLANS,
    OTHER_COMMITMENT_CHANCE,
    OTHER_COMMITMENT_FIRST_YEARS,
    OTHER_COMMITMENT_TREES,
    REVISED_COMMITMENT_SHARE,
    REVISION_DEVIATION,
    HoldingPlan,
)
from taza.simulator.industry.enterprises import REGION_BY_KATO, Enterprise, enterprise_list
from taza.simulator.streams import stream


@dataclass(frozen=True)
class Revision:
    """A commitment's first figures, replaced by the final ones on ``revised_on``."""

    trees_committed: int
    area_committed_cents: int
    revised_on: date


@dataclass(frozen=True)
class _SiteYear:
    """One enterprise's commitment and planting in one year (areas in hundredths of a ha)."""

    enterprise: Enterprise
    year: int
    trees_committed: int
    area_committed_cents: int
    trees_planted: int
    area_planted_cents: int
    revision: Revision | None = None


def commitment_records(config: SimulatorConfig) -> list[dict]:
    """Commitments served under ``config``, ordered by (year, bin)."""
    return [dict(r) for r in _served(config)[0]]


def commitment_revisions(config: SimulatorConfig) -> list[dict]:
    """Every commitment served under ``config`` that is revised, whether or not by
    ``today``: its final record with the first figures and the revision date."""
    return [{**record, "first_trees_committed": revision.trees_committed,
             "first_area_committed_ha": revision.area_committed_cents / 100,
             "revised_on": revision.revised_on.isoformat()}
            for record, revision in _generated(config)[0] if revision is not None]


def planting_records(config: SimulatorConfig) -> list[dict]:
    """Company plantings served under ``config``, ordered by (period, region_kato, bin)."""
    return [dict(r) for r in _served(config)[1]]


def greening_totals(config: SimulatorConfig) -> dict:
    """Sums of the served commitments and plantings, by holding and by region.

    Shape::

        {"holding": {(holding, year): {"trees_committed": int, "area_committed_ha": float,
                                       "trees_planted": int, "area_ha": float}},
         "regional": {(region_kato, year): {"trees_planted": int, "area_ha": float}}}

    Enterprises outside a holding are summed under holding ``None``; only keys with a
    record are present; areas are exact to the hundredth of a hectare.
    """
    holding_of = {e.bin: e.holding for e in enterprise_list(config.seed, config.scale)}
    holding: dict = {}
    regional: dict = {}
    commitments, plantings = _served(config)
    for r in commitments:
        sums = holding.setdefault((holding_of[r["bin"]], r["year"]), [0, 0, 0, 0])
        sums[0] += r["trees_committed"]
        sums[1] += round(r["area_committed_ha"] * 100)
    for r in plantings:
        year = int(r["period"][:4])
        sums = holding.setdefault((holding_of[r["bin"]], year), [0, 0, 0, 0])
        sums[2] += r["trees_planted"]
        sums[3] += round(r["area_ha"] * 100)
        region = regional.setdefault((r["region_kato"], year), [0, 0])
        region[0] += r["trees_planted"]
        region[1] += round(r["area_ha"] * 100)
    return {
        "holding": {
            key: {"trees_committed": tc, "area_committed_ha": ac / 100, "trees_planted": tp, "area_ha": ap / 100}
            for key, (tc, ac, tp, ap) in holding.items()
        },
        "regional": {key: {"trees_planted": trees, "area_ha": cents / 100} for key, (trees, cents) in regional.items()},
    }


@lru_cache(maxsize=8)
def _served(config: SimulatorConfig) -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    commitments, plantings = _generated(config)
    return tuple(_as_of(record, revision, config.today) for record, revision in commitments), plantings


_Generated = tuple[tuple[tuple[dict, Revision | None], ...], tuple[dict, ...]]


def _generated(config: SimulatorConfig) -> _Generated:
    return _generate(config.seed, config.scale, config.last_complete_month)


def _as_of(record: dict, revision: Revision | None, today: date) -> dict:
    """The commitment as the registry shows it on ``today``."""
    if revision is None or revision.revised_on < today:
        return record
    return {**record, "trees_committed": revision.trees_committed,
            "area_committed_ha": revision.area_committed_cents / 100}


@lru_cache(maxsize=8)
def _generate(seed: int, scale: float, last_month: str) -> _Generated:
    """Final commitments, each with its revision if any, and the plantings up to ``last_month``."""
    all_enterprises = enterprise_list(seed, scale)
    last_year = int(last_month[:4])
    site_years = [
        *(s for holding, plan in HOLDING_PLANS.items()
          for s in _holding_years(seed, holding, plan, all_enterprises, last_year)),
        *(s for e in all_enterprises if e.holding not in HOLDING_PLANS for s in _other_years(seed, e, last_year)),
    ]
    commitments = sorted(
        (({
            "commitment_id": f"IC-{s.enterprise.bin}-{s.year}",
            "bin": s.enterprise.bin,
            "year": s.year,
            "trees_committed": s.trees_committed,
            "area_committed_ha": s.area_committed_cents / 100,
        }, s.revision) for s in site_years),
        key=lambda pair: (pair[0]["year"], pair[0]["bin"]),
    )
    plantings = sorted(
        (r for s in site_years for r in _monthly(seed, s) if r["period"] <= last_month),
        key=lambda r: (r["period"], r["region_kato"], r["bin"]),
    )
    return tuple(commitments), tuple(plantings)


def _holding_years(seed: int, holding: str, plan: HoldingPlan, all_enterprises, last_year: int) -> list[_SiteYear]:
    """The plan's yearly totals split over the holding's sites by size; planted trees
    follow each site's commitment with +-15 % noise and add up to the plan's figure."""
    sites = [e for e in all_enterprises if e.holding == holding and plan.region in (None, e.region_kato)]
    result = []
    for year, total in sorted(plan.trees_committed.items()):
        if year > last_year:
            break
        committed = largest_remainder(total, [e.size for e in sites])
        if plan.area_committed_ha:
            area = largest_remainder(plan.area_committed_ha[year] * 100, committed)
        else:
            area = [_area_cents(e, trees) for e, trees in zip(sites, committed)]
        rng = stream(seed, "holding-planting", holding, year)
        if year in plan.trees_planted:
            planted = largest_remainder(plan.trees_planted[year], [t * rng.uniform(0.85, 1.15) for t in committed])
        else:
            planted = [round(t * rng.uniform(*FULFILMENT_RANGE)) for t in committed]
        result += [_site_year(e, year, c, a, p) for e, c, a, p in zip(sites, committed, area, planted) if c]
    return result


def _other_years(seed: int, e: Enterprise, last_year: int) -> list[_SiteYear]:
    """Some enterprises commit every year from a first year on, about the same number
    of trees (+-10-20 %, in hundreds), and fulfil it more or less."""
    rng = stream(seed, "commitment", e.bin)
    if rng.random() >= OTHER_COMMITMENT_CHANCE[e.obliged]:
        return []
    first = rng.choice(OTHER_COMMITMENT_FIRST_YEARS)
    base = rng.randint(*OTHER_COMMITMENT_TREES[e.obliged])
    result = []
    for year in range(max(first, FIRST_YEAR), last_year + 1):
        year_rng = stream(seed, "commitment", e.bin, year)
        committed = round(base * year_rng.uniform(0.9, 1.2) / 100) * 100
        planted = round(committed * year_rng.uniform(*FULFILMENT_RANGE))
        result.append(_site_year(e, year, committed, _area_cents(e, committed), planted,
                                 _revision(seed, e, year, committed)))
    return result


def _revision(seed: int, e: Enterprise, year: int, committed: int) -> Revision | None:
    """Whether the commitment is revised after the audit: the first figure 10-30 % off
    (in hundreds of trees, at least 100), revised on a day in March-May of the next year."""
    rng = stream(seed, "commitment-revision", e.bin, year)
    if rng.random() >= REVISED_COMMITMENT_SHARE:
        return None
    deviation = rng.uniform(*REVISION_DEVIATION) * rng.choice((-1, 1))
    first = max(100, round(committed * (1 + deviation) / 100) * 100)
    if first == committed:
        first = committed + 100
    revised_on = date(year + 1, 3, 1) + timedelta(days=rng.randrange(92))  # March 1 .. May 31
    return Revision(first, _area_cents(e, first), revised_on)


def _site_year(e: Enterprise, year: int, committed: int, area_cents: int, planted: int,
               revision: Revision | None = None) -> _SiteYear:
    """Planted area at the committed density."""
    return _SiteYear(e, year, committed, area_cents, planted, round(area_cents * planted / committed), revision)


def _area_cents(e: Enterprise, trees: int) -> int:
    return round(trees * 100 / FOREST_PROFILES[e.region_kato].density_per_ha)


def _monthly(seed: int, s: _SiteYear) -> list[dict]:
    """A site-year's planting over its region's planting months (+-30 % noise); each
    planting month gets at least 0.01 ha when the area allows it."""
    if not s.trees_planted:
        return []
    season = SEASON_PERCENT[REGION_BY_KATO[s.enterprise.region_kato].climate]
    rng = stream(seed, "company-months", s.enterprise.bin, s.year)
    months = list(season)
    trees = largest_remainder(s.trees_planted, [season[m] * rng.uniform(0.7, 1.3) for m in months])
    planting = sum(1 for t in trees if t)
    floor = 1 if s.area_planted_cents >= planting else 0
    extra = largest_remainder(s.area_planted_cents - floor * planting, trees)
    return [
        {
            "planting_id": f"IP-{s.enterprise.bin}-{s.year}{month:02d}",
            "bin": s.enterprise.bin,
            "region_kato": s.enterprise.region_kato,
            "period": f"{s.year}-{month:02d}",
            "trees_planted": t,
            "area_ha": (floor + cents) / 100,
        }
        for month, t, cents in zip(months, trees, extra)
        if t
    ]
