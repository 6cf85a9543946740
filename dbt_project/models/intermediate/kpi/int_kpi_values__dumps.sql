{#-
    KPI values of illegal dumps found by space monitoring, by detection year, nationally
    and per region:
      dumps_detected                    dumps detected, count
      dumps_elimination_rate            detected dumps removed by now / detected, share
      dumps_median_days_to_eliminate    median days from detection to removal of the removed dumps, days
    A year is partial while not all twelve months have a current batch.
-#}
with

detections as (
    select * from {{ ref('fct_dump_detections') }}
),

coverage as (
    select year, months_loaded, batch_ids
    from {{ ref('int_activity__month_coverage') }}
    where dataset = 'regional__dump_detections'
),

totals as (
    select
        case when grouping(region_kato) = 1 then 'national' else 'region' end as scope,
        region_kato,
        detected_year as year,
        count(*) as detected,
        count(*) filter (where is_eliminated) as eliminated,
        percentile_cont(0.5) within group (order by days_to_eliminate)
            filter (where is_eliminated) as median_days,
        array_agg(distinct _batch_id order by _batch_id) as batch_ids
    from detections
    group by grouping sets ((detected_year), (detected_year, region_kato))
),

kpi_values as (
    select 'dumps_detected' as kpi_code, totals.*, detected::numeric as actual_value from totals
    union all
    select 'dumps_elimination_rate', totals.*, eliminated::numeric / nullif(detected, 0) from totals
    union all
    select 'dumps_median_days_to_eliminate', totals.*, median_days::numeric from totals
)

select
    kpi_values.kpi_code::text                                   as kpi_code,
    'total'::text                                               as variant,
    kpi_values.scope::text                                      as scope,
    kpi_values.region_kato::text                                as region_kato,
    null::text                                                  as enterprise_bin,
    kpi_values.year::integer                                    as year,
    kpi_values.actual_value::numeric(20, 6)                      as actual_value,
    (coalesce(coverage.months_loaded, 0) < 12)::boolean         as is_partial_year,
    kpi_values.batch_ids::text[]                                as lineage_batch_ids
from kpi_values
left join coverage on coverage.year = kpi_values.year
where kpi_values.actual_value is not null
