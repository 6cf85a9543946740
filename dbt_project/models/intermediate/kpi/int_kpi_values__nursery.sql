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
    select stock.season_year, stock.seedlings_ready, stock._batch_id, nurseries.region_kato,
           nurseries._batch_id as registry_batch_id
    from {{ ref('stg_nursery__seedling_stock') }} as stock
    left join {{ ref('stg_nursery__nurseries') }} as nurseries
        on nurseries.nursery_id = stock.nursery_id
),

reports as (
    select * from {{ ref('stg_regional__planting_reports') }}
),

coverage as (
    select max(period_month) as as_of_month from reports
),

plantings as (
    select region_kato, extract(year from period_month)::integer as year, trees_planted, _batch_id
    from reports
    where programme = 'state_forest_fund'
),

ready as (
    select 'region' as scope, region_kato, season_year as year, sum(seedlings_ready) as seedlings_ready,
           array_agg(distinct _batch_id) || array_agg(distinct registry_batch_id) as batch_ids
    from stock
    where region_kato is not null
    group by region_kato, season_year

    union all

    select 'national', null, season_year, sum(seedlings_ready),
           array_agg(distinct _batch_id) || array_agg(distinct registry_batch_id) filter (where registry_batch_id is not null)
    from stock
    group by season_year
),

plans as (
    select 'region' as scope, region_kato, year, sum(trees_planted) as planned_trees,
           array_agg(distinct _batch_id) as batch_ids
    from plantings
    group by region_kato, year

    union all

    select 'national', null, year, sum(trees_planted), array_agg(distinct _batch_id)
    from plantings
    group by year
)

select
    'nursery_supply_coverage'::text                                          as kpi_code,
    'total'::text                                                            as variant,
    ready.scope::text                                                        as scope,
    ready.region_kato::text                                                  as region_kato,
    null::text                                                               as enterprise_bin,
    ready.year::integer                                                      as year,
    round(ready.seedlings_ready::numeric / plans.planned_trees, 6)::numeric  as actual_value,
    (ready.year = extract(year from coverage.as_of_month)
     and extract(month from coverage.as_of_month) < 12)::boolean             as is_partial_year,
    array(select distinct batch_id from unnest(ready.batch_ids || plans.batch_ids) as batch_id
          where batch_id is not null order by batch_id)::text[]              as lineage_batch_ids
from ready
inner join plans
    on plans.scope = ready.scope
    and plans.region_kato is not distinct from ready.region_kato
    and plans.year = ready.year
cross join coverage
where ready.year >= {{ var('taza_kpi_start_year') }}
  and plans.planned_trees > 0
