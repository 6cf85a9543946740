{#-
    KPI values of illegal dumps found by space monitoring, by detection year, nationally
    and per region:
      dumps_detected                    dumps detected, count
      dumps_elimination_rate            detected dumps removed by now / detected, share
      dumps_median_days_to_eliminate    median days from detection to removal, days: the
                                        Kaplan-Meier product-limit estimate with dumps still
                                        open counted as censored at the day they were last
                                        seen open (their batch's load day); the median is the
                                        first day the survival curve is <= 0.5, none when the
                                        curve never gets there. A median over removed dumps
                                        only would flatter the regions that leave dumps open.
    A year is complete when every month of the monitoring season (March-September) is
    loaded (int_feed_year_coverage).
-#}
{%- set local_offset = "interval '+05:00'" -%}
with

detections as (
    select * from {{ ref('fct_dump_detections') }}
),

batches as (
    select batch_id, loaded_at from {{ ref('int_activity__current_batches') }}
),

coverage as (
    select year, is_complete
    from {{ ref('int_feed_year_coverage') }}
    where dataset = 'regional__dump_detections'
),

totals as (
    select
        case when grouping(region_kato) = 1 then 'national' else 'region' end as scope,
        region_kato,
        detected_year as year,
        count(*) as detected,
        count(*) filter (where is_eliminated) as eliminated,
        array_agg(distinct _batch_id order by _batch_id) as batch_ids
    from detections
    group by grouping sets ((detected_year), (detected_year, region_kato))
),

-- Kaplan-Meier median of the days to elimination ----------------------------------------
survival_times as (
    select
        detections.region_kato,
        detections.detected_year,
        detections.is_eliminated as is_removal,
        case when detections.is_eliminated then detections.days_to_eliminate
             else greatest(0, (batches.loaded_at at time zone {{ local_offset }})::date - detections.detected_date)
        end as days
    from detections
    left join batches on batches.batch_id = detections._batch_id
),

day_counts as (
    select
        case when grouping(region_kato) = 1 then 'national' else 'region' end as scope,
        region_kato,
        detected_year as year,
        days,
        count(*) filter (where is_removal) as removals,
        count(*) as leaving
    from survival_times
    where days is not null
    group by grouping sets ((detected_year, days), (detected_year, region_kato, days))
),

at_risk as (
    -- dumps still open at the start of the day: removed or censored on it or later
    select day_counts.*,
           sum(leaving) over (partition by scope, region_kato, year order by days desc) as open_dumps
    from day_counts
),

survival_curve as (
    select
        scope, region_kato, year, days,
        bool_or(removals = open_dumps) over curve as reached_zero,
        exp(sum(case when removals < open_dumps then ln(1 - removals::float8 / open_dumps) else 0 end) over curve)
            as survival
    from at_risk
    where removals > 0
    window curve as (partition by scope, region_kato, year order by days)
),

medians as (
    select scope, region_kato, year,
           min(days) filter (where reached_zero or survival <= 0.5 + 1e-9) as median_days
    from survival_curve
    group by scope, region_kato, year
),

kpi_values as (
    select 'dumps_detected' as kpi_code, totals.*, detected::numeric as actual_value from totals
    union all
    select 'dumps_elimination_rate', totals.*, eliminated::numeric / nullif(detected, 0) from totals
    union all
    select 'dumps_median_days_to_eliminate', totals.*, medians.median_days::numeric
    from totals
    left join medians
        on medians.scope = totals.scope
        and medians.region_kato is not distinct from totals.region_kato
        and medians.year = totals.year
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
