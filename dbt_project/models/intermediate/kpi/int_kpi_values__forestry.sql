{#-
    Forestry KPI values in the scorecard's shape (see int_kpi_values), national and per
    region, from the akimats' planting reports (programme state_forest_fund, the one the
    2 bn target counts) and the survival inventories.

    trees_planted_cumulative   trees planted from 2021 through the year.
    trees_surviving_cumulative survival-adjusted: each planting year's trees (cohort) times
                               its best known survival rate - the cohort's year-3 rate if
                               inspected, else its year-1 rate, else the region's pooled
                               rate over its inspected cohorts (sum surviving / sum planted
                               of their best inspections), else the national pooled rate.
                               National = sum of the regions' surviving trees.
    seedling_survival_rate     sum(surviving) / sum(planted) of the sites inspected in the
                               year; variant year_1 / year_3; year = inspection year. The
                               national rate comes from the national sums, not from the
                               regions' rates.

    A planting year is complete when all twelve monthly planting reports are loaded
    (int_feed_year_coverage), whether or not anything was planted in December; an
    inspection year is complete once its annual inventory batch is loaded.
-#}
{%- set start_year = var('taza_kpi_start_year') -%}
with

plantings as (
    select region_kato, period_year as year, trees_planted, lineage_batch_ids
    from {{ ref('fct_plantings') }}
    where programme = 'state_forest_fund'
      and period_year >= {{ start_year }}
),

planting_batches as (
    select plantings.region_kato, plantings.year, batch_id as _batch_id
    from plantings
    cross join lateral unnest(plantings.lineage_batch_ids) as batch_id
),

coverage as (
    select year, is_complete
    from {{ ref('int_feed_year_coverage') }}
    where dataset = 'regional__planting_reports'
),

years as (
    -- every year from the programme's start to the newest year with a planting-report batch
    select
        year::integer as year,
        not coalesce((select coverage.is_complete from coverage where coverage.year = years.year), false)
            as is_partial_year
    from generate_series({{ start_year }}, (select max(year) from coverage)) as years (year)
),

region_years as (
    select regions.region_kato, years.year, years.is_partial_year
    from {{ ref('dim_region') }} as regions
    cross join years
),

planted as (
    select
        region_years.region_kato,
        region_years.year,
        region_years.is_partial_year,
        coalesce(sum(plantings.trees_planted), 0) as trees_planted
    from region_years
    left join plantings
        on plantings.region_kato = region_years.region_kato
        and plantings.year = region_years.year
    group by region_years.region_kato, region_years.year, region_years.is_partial_year
),

planting_lineage as (
    -- the batches behind a cumulative figure: every planting batch up to the year
    select region_years.region_kato, region_years.year,
           array_agg(distinct plantings._batch_id order by plantings._batch_id) as batch_ids
    from region_years
    inner join planting_batches as plantings
        on plantings.region_kato = region_years.region_kato
        and plantings.year <= region_years.year
    group by region_years.region_kato, region_years.year
),

national_planting_lineage as (
    select years.year, array_agg(distinct plantings._batch_id order by plantings._batch_id) as batch_ids
    from years
    inner join planting_batches as plantings on plantings.year <= years.year
    group by years.year
),

inspections as (
    select * from {{ ref('fct_survival_inspections') }}
),

cohort_inspections as (
    select region_kato, planting_year, inspection_type,
           sum(planted) as planted, sum(surviving) as surviving
    from inspections
    group by region_kato, planting_year, inspection_type
),

cohort_best as (
    -- a cohort's latest knowledge: year 3 when inspected, else year 1
    select distinct on (region_kato, planting_year)
        region_kato, planting_year, planted, surviving
    from cohort_inspections
    order by region_kato, planting_year, inspection_type desc
),

region_pooled as (
    select region_kato, sum(surviving)::numeric / nullif(sum(planted), 0) as survival_rate
    from cohort_best
    group by region_kato
),

national_pooled as (
    select sum(surviving)::numeric / nullif(sum(planted), 0) as survival_rate
    from cohort_best
),

survival_lineage as (
    select region_kato, array_agg(distinct _batch_id order by _batch_id) as batch_ids
    from inspections
    group by region_kato
),

surviving as (
    select
        planted.*,
        round(planted.trees_planted * coalesce(
            cohort_best.surviving::numeric / nullif(cohort_best.planted, 0),
            region_pooled.survival_rate,
            national_pooled.survival_rate
        )) as trees_surviving
    from planted
    left join cohort_best
        on cohort_best.region_kato = planted.region_kato
        and cohort_best.planting_year = planted.year
    left join region_pooled on region_pooled.region_kato = planted.region_kato
    cross join national_pooled
),

regional_cumulative as (
    select
        surviving.region_kato,
        surviving.year,
        surviving.is_partial_year,
        sum(surviving.trees_planted) over region_window as trees_planted_cumulative,
        sum(surviving.trees_surviving) over region_window as trees_surviving_cumulative
    from surviving
    window region_window as (partition by surviving.region_kato order by surviving.year
                             rows between unbounded preceding and current row)
),

national_cumulative as (
    select year, bool_or(is_partial_year) as is_partial_year,
           sum(trees_planted_cumulative) as trees_planted_cumulative,
           sum(trees_surviving_cumulative) as trees_surviving_cumulative
    from regional_cumulative
    group by year
),

all_survival_lineage as (
    select array_agg(distinct _batch_id order by _batch_id) as batch_ids from inspections
),

trees as (
    select 'trees_planted_cumulative' as kpi_code, 'region' as scope, regional_cumulative.region_kato,
           regional_cumulative.year, regional_cumulative.trees_planted_cumulative as actual_value,
           regional_cumulative.is_partial_year, planting_lineage.batch_ids as lineage_batch_ids
    from regional_cumulative
    left join planting_lineage using (region_kato, year)

    union all

    select 'trees_surviving_cumulative', 'region', regional_cumulative.region_kato,
           regional_cumulative.year,
           -- no survival figure anywhere yet: the survival-adjusted value is unknown
           case when national_pooled.survival_rate is not null then regional_cumulative.trees_surviving_cumulative end,
           regional_cumulative.is_partial_year,
           array(select distinct batch_id
                 from unnest(coalesce(planting_lineage.batch_ids, '{}') || coalesce(survival_lineage.batch_ids, '{}')) as batch_id
                 order by batch_id)
    from regional_cumulative
    cross join national_pooled
    left join planting_lineage using (region_kato, year)
    left join survival_lineage on survival_lineage.region_kato = regional_cumulative.region_kato

    union all

    select 'trees_planted_cumulative', 'national', null, national_cumulative.year,
           national_cumulative.trees_planted_cumulative, national_cumulative.is_partial_year,
           national_planting_lineage.batch_ids
    from national_cumulative
    left join national_planting_lineage using (year)

    union all

    select 'trees_surviving_cumulative', 'national', null, national_cumulative.year,
           case when national_pooled.survival_rate is not null then national_cumulative.trees_surviving_cumulative end,
           national_cumulative.is_partial_year,
           array(select distinct batch_id
                 from unnest(coalesce(national_planting_lineage.batch_ids, '{}') || coalesce(all_survival_lineage.batch_ids, '{}')) as batch_id
                 order by batch_id)
    from national_cumulative
    cross join national_pooled
    cross join all_survival_lineage
    left join national_planting_lineage using (year)
),

inspection_coverage as (
    select year, is_complete
    from {{ ref('int_feed_year_coverage') }}
    where dataset = 'nursery__survival_inventories'
),

survival_rates as (
    select 'region' as scope, region_kato, inspection_type, inspection_year,
           sum(surviving)::numeric / nullif(sum(planted), 0) as survival_rate,
           array_agg(distinct _batch_id order by _batch_id) as lineage_batch_ids
    from inspections
    where inspection_year >= {{ start_year }}
    group by region_kato, inspection_type, inspection_year

    union all

    select 'national', null, inspection_type, inspection_year,
           sum(surviving)::numeric / nullif(sum(planted), 0),
           array_agg(distinct _batch_id order by _batch_id)
    from inspections
    where inspection_year >= {{ start_year }}
    group by inspection_type, inspection_year
)

select
    kpi_code::text                  as kpi_code,
    'total'::text                   as variant,
    scope::text                     as scope,
    region_kato::text               as region_kato,
    null::text                      as enterprise_bin,
    year::integer                   as year,
    actual_value::numeric           as actual_value,
    is_partial_year::boolean        as is_partial_year,
    lineage_batch_ids::text[]       as lineage_batch_ids
from trees

union all

select
    'seedling_survival_rate'::text,
    inspection_type::text,
    scope::text,
    region_kato::text,
    null::text,
    inspection_year::integer,
    round(survival_rates.survival_rate, 6)::numeric,
    not coalesce(inspection_coverage.is_complete, false),
    survival_rates.lineage_batch_ids::text[]
from survival_rates
left join inspection_coverage on inspection_coverage.year = survival_rates.inspection_year
