{#-
    nursery_supply_coverage in the scorecard's shape (see int_kpi_values), national and
    per region: seedlings ready to plant in the nurseries at the end of a season / the
    next season's planting plan (fct_planting_plans, the revision in force, programme
    state_forest_fund): "can the nurseries supply next season's plan?". year = the
    stock's season; the plan is that of year + 1. A region (or season) without a plan for
    the next season has no row. A nursery's region comes from the current registry;
    stock of a nursery no longer registered counts nationally only. Complete once the
    season's annual stock batch is loaded (int_feed_year_coverage).
-#}
with

stock as (
    select season_year, seedlings_ready, _batch_id, registry_batch_id, region_kato
    from {{ ref('fct_nursery_stock') }}
),

coverage as (
    select year, is_complete
    from {{ ref('int_feed_year_coverage') }}
    where dataset = 'nursery__seedling_stock'
),

plans as (
    -- the plan in force (current revision) for each region and plan year
    select region_kato, plan_year, trees_planned, _batch_id
    from {{ ref('fct_planting_plans') }}
    where is_current_revision
      and programme = 'state_forest_fund'
),

ready as (
    -- a regional row also depends on the registry records that place the nurseries there
    select 'region' as scope, region_kato, season_year as year, sum(seedlings_ready) as seedlings_ready,
           array_agg(distinct _batch_id) || array_agg(distinct registry_batch_id) as batch_ids
    from stock
    where region_kato is not null
    group by region_kato, season_year

    union all

    select 'national', null, season_year, sum(seedlings_ready), array_agg(distinct _batch_id)
    from stock
    group by season_year
),

next_season_plans as (
    -- the plan of the season after the stock's: year = plan_year - 1
    select
        case when grouping(region_kato) = 0 then 'region' else 'national' end as scope,
        region_kato,
        plan_year - 1 as year,
        sum(trees_planned) as planned_trees,
        array_agg(distinct _batch_id) as batch_ids
    from plans
    group by grouping sets ((plan_year), (plan_year, region_kato))
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
inner join next_season_plans as plans
    on plans.scope = ready.scope
    and plans.region_kato is not distinct from ready.region_kato
    and plans.year = ready.year
left join coverage on coverage.year = ready.year
where ready.year >= {{ var('taza_kpi_start_year') }}
  and plans.planned_trees > 0
