{#-
    KPI values of the Taza Kazakhstan campaign, per year, nationally and per region:
      campaign_participants               participants, persons
      campaign_participation_rate         participants / resident population, share
      waste_collected_t                   waste collected, tonnes
      waste_collected_kg_per_participant  waste collected (kg) / participants, kg/person
    National values come from the national sums, never from averaging regional rates.
    A year is complete when all twelve monthly reports are loaded (int_feed_year_coverage).
-#}
with

activity as (
    select * from {{ ref('fct_campaign_activity') }}
),

coverage as (
    select year, is_complete, batch_ids
    from {{ ref('int_feed_year_coverage') }}
    where dataset = 'regional__campaign_reports'
),

population as (
    select region_kato, year, population from {{ ref('dim_region_population') }}
),

regional_batches as (
    select activity.region_kato, activity.period_year as year,
           array_agg(distinct batch_id order by batch_id) as batch_ids
    from activity
    cross join lateral unnest(activity.lineage_batch_ids) as batch_id
    group by activity.region_kato, activity.period_year
),

regional as (
    select
        activity.region_kato,
        activity.period_year as year,
        sum(activity.participants) as participants,
        sum(activity.waste_collected_t) as waste_collected_t,
        min(regional_batches.batch_ids) as batch_ids
    from activity
    left join regional_batches
        on regional_batches.region_kato = activity.region_kato
        and regional_batches.year = activity.period_year
    group by activity.region_kato, activity.period_year
),

totals as (
    select 'region' as scope, regional.region_kato, regional.year, regional.participants,
           regional.waste_collected_t, population.population, regional.batch_ids
    from regional
    left join population
        on population.region_kato = regional.region_kato
        and population.year = regional.year
    union all
    select 'national', null, regional.year, sum(regional.participants), sum(regional.waste_collected_t),
           (select sum(population.population) from population where population.year = regional.year),
           coverage.batch_ids
    from regional
    left join coverage on coverage.year = regional.year
    group by regional.year, coverage.batch_ids
),

kpi_values as (
    select 'campaign_participants' as kpi_code, totals.*, participants::numeric as actual_value from totals
    union all
    select 'campaign_participation_rate', totals.*, participants::numeric / nullif(population, 0) from totals
    union all
    select 'waste_collected_t', totals.*, waste_collected_t::numeric from totals
    union all
    select 'waste_collected_kg_per_participant', totals.*, waste_collected_t * 1000 / nullif(participants, 0) from totals
)

select
    kpi_values.kpi_code::text                                   as kpi_code,
    'total'::text                                               as variant,
    kpi_values.scope::text                                      as scope,
    kpi_values.region_kato::text                                as region_kato,
    null::text                                                  as enterprise_bin,
    kpi_values.year::integer                                    as year,
    kpi_values.actual_value::numeric(20, 6)                      as actual_value,
    (not coalesce(coverage.is_complete, false))::boolean        as is_partial_year,
    kpi_values.batch_ids::text[]                                as lineage_batch_ids
from kpi_values
left join coverage on coverage.year = kpi_values.year
where kpi_values.actual_value is not null
