{#-
    nursery_supply_coverage in the scorecard's shape (see int_kpi_values), national and
    per region: seedlings ready to plant in the nurseries at the end of a season / the
    next season's planting plan.

    No planting plan is published per region and season (only national plans for 2025
    and 2026), so the plan is taken as the state-forest-fund trees planted in the season
    itself (akimat planting reports): "can the nurseries supply another season like this
    one?". year = the stock's season. A region with no forest planting in the season has
    no plan and no row. A nursery's region comes from the current registry; stock of a
    nursery no longer registered counts nationally only.
-#}
with

stock as (
    select season_year, seedlings_ready, _batch_id, region_kato
    from {{ ref('fct_nursery_stock') }}
),

coverage as (
    select year, is_complete
    from {{ ref('int_feed_year_coverage') }}
    where dataset = 'nursery__seedling_stock'
),

plantings as (
    select region_kato, period_year as year, trees_planted, lineage_batch_ids
    from {{ ref('fct_plantings') }}
    where programme = 'state_forest_fund'
),

planting_batches as (
    select plantings.region_kato, plantings.year, batch_id as _batch_id
    from plantings
    cross join lateral unnest(plantings.lineage_batch_ids) as batch_id
),

ready as (
    select 'region' as scope, region_kato, season_year as year, sum(seedlings_ready) as seedlings_ready,
           array_agg(distinct _batch_id) as batch_ids
    from stock
    where region_kato is not null
    group by region_kato, season_year

    union all

    select 'national', null, season_year, sum(seedlings_ready), array_agg(distinct _batch_id)
    from stock
    group by season_year
),

plan_totals as (
    select
        case when grouping(region_kato) = 0 then 'region' else 'national' end as scope,
        region_kato, year, sum(trees_planted) as planned_trees
    from plantings
    group by grouping sets ((year), (year, region_kato))
),

plan_batches as (
    select
        case when grouping(region_kato) = 0 then 'region' else 'national' end as scope,
        region_kato, year, array_agg(distinct _batch_id) as batch_ids
    from planting_batches
    group by grouping sets ((year), (year, region_kato))
),

plans as (
    select plan_totals.*, plan_batches.batch_ids
    from plan_totals
    left join plan_batches
        on plan_batches.scope = plan_totals.scope
        and plan_batches.region_kato is not distinct from plan_totals.region_kato
        and plan_batches.year = plan_totals.year
)

select
    'nursery_supply_coverage'::text                                          as kpi_code,
    'total'::text                                                            as variant,
    ready.scope::text                                                        as scope,
    ready.region_kato::text                                                  as region_kato,
    null::text                                                               as enterprise_bin,
    ready.year::integer                                                      as year,
    round(ready.seedlings_ready::numeric / plans.planned_trees, 6)::numeric  as actual_value,
    (not coalesce(coverage.is_complete, false))::boolean                     as is_partial_year,
    array(select distinct batch_id from unnest(ready.batch_ids || plans.batch_ids) as batch_id
          where batch_id is not null order by batch_id)::text[]              as lineage_batch_ids
from ready
inner join plans
    on plans.scope = ready.scope
    and plans.region_kato is not distinct from ready.region_kato
    and plans.year = ready.year
left join coverage on coverage.year = ready.year
where ready.year >= {{ var('taza_kpi_start_year') }}
  and plans.planned_trees > 0
