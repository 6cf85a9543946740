{#-
    KPI values of the Concept's society indicators, per year, nationally and per region,
    from the regions' annual indicators (fct_annual_indicators); a year is complete once its
    annual batch is loaded (int_feed_year_coverage):
      msw_processing_share        MSW processed / MSW generated, share
      eco_education_share         pupils in eco-education events / pupils, share
      citizen_satisfaction_share  citizens satisfied with the environmental quality of life, share;
                                  nationally the regions' shares weighted by their resident population
    National values come from national sums (tonnes, pupils, satisfied residents).
-#}
with

indicators as (
    select * from {{ ref('fct_annual_indicators') }}
),

coverage as (
    select year, is_complete
    from {{ ref('int_feed_year_coverage') }}
    where dataset = 'regional__annual_indicators'
),

population as (
    select region_kato, year, population from {{ ref('dim_region_population') }}
),

totals as (
    select
        'region' as scope,
        indicators.region_kato,
        indicators.year,
        indicators.msw_processed_t as msw_processed_t,
        indicators.msw_generated_t as msw_generated_t,
        indicators.pupils_in_eco_events::numeric as pupils_in_eco_events,
        indicators.pupils_total::numeric as pupils_total,
        indicators.satisfaction_share as satisfaction_share,
        array[indicators._batch_id] as batch_ids
    from indicators
    union all
    select
        'national',
        null,
        indicators.year,
        sum(indicators.msw_processed_t),
        sum(indicators.msw_generated_t),
        sum(indicators.pupils_in_eco_events),
        sum(indicators.pupils_total),
        sum(indicators.satisfaction_share * population.population) / nullif(sum(population.population), 0),
        array_agg(distinct indicators._batch_id order by indicators._batch_id)
    from indicators
    left join population
        on population.region_kato = indicators.region_kato
        and population.year = indicators.year
    group by indicators.year
),

kpi_values as (
    select 'msw_processing_share' as kpi_code, totals.*, msw_processed_t / nullif(msw_generated_t, 0) as actual_value
    from totals
    union all
    select 'eco_education_share', totals.*, pupils_in_eco_events / nullif(pupils_total, 0) from totals
    union all
    select 'citizen_satisfaction_share', totals.*, satisfaction_share from totals
)

select
    kpi_values.kpi_code::text              as kpi_code,
    'total'::text                          as variant,
    kpi_values.scope::text                 as scope,
    kpi_values.region_kato::text           as region_kato,
    null::text                             as enterprise_bin,
    kpi_values.year::integer               as year,
    kpi_values.actual_value::numeric(20, 6) as actual_value,
    (not coalesce(coverage.is_complete, false))::boolean as is_partial_year,
    kpi_values.batch_ids::text[]           as lineage_batch_ids
from kpi_values
left join coverage on coverage.year = kpi_values.year
where kpi_values.actual_value is not null
