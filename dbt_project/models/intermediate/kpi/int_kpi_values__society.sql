{#-
    KPI values of the Concept's society indicators, per year, nationally and per region,
    from the regions' annual indicators (complete years only, so never partial):
      msw_processing_share        MSW processed / MSW generated, share
      eco_education_share         pupils in eco-education events / pupils, share
      citizen_satisfaction_share  citizens satisfied with the environmental quality of life, share;
                                  nationally the regions' shares weighted by their resident population
    National values come from national sums (tonnes, pupils, satisfied residents).
-#}
with

indicators as (
    select * from {{ ref('stg_regional__annual_indicators') }}
),

population as (
    select region_kato, year, population from {{ ref('int_activity__population') }}
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
    kpi_code::text              as kpi_code,
    'total'::text               as variant,
    scope::text                 as scope,
    region_kato::text           as region_kato,
    null::text                  as enterprise_bin,
    year::integer               as year,
    actual_value::numeric(20, 6) as actual_value,
    false::boolean              as is_partial_year,
    batch_ids::text[]           as lineage_batch_ids
from kpi_values
where actual_value is not null
