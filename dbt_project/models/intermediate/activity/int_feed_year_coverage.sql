{#-
    Per source feed (dataset) and year: is the year complete? Decided from the feed's
    reporting calendar and the intervals its current batches cover, never from the
    newest data month (nobody plants in December, yet December's report is due):
      monthly    every month of the reporting season has a loaded batch interval
                 (dump detections: the space-monitoring season, March-September)
      annual     the year's batch is loaded
      daily      every day of the year is covered by the loaded intervals (telemetry)
      snapshot   a registry snapshot was taken at or after the end of the year
    A year appears from the first to the last year any current batch touches (snapshot
    feeds: from var taza_kpi_start_year on).
-#}
{%- set calendars = [
    ('regional__planting_reports', 'monthly', 1, 12),
    ('regional__campaign_reports', 'monthly', 1, 12),
    ('regional__dump_detections', 'monthly', 3, 9),
    ('industry__plantings', 'monthly', 1, 12),
    ('regional__annual_indicators', 'annual', 1, 12),
    ('industry__commitments', 'annual', 1, 12),
    ('industry__emissions_annual', 'annual', 1, 12),
    ('nursery__seedling_stock', 'annual', 1, 12),
    ('nursery__survival_inventories', 'annual', 1, 12),
    ('industry__telemetry', 'daily', 1, 12),
    ('industry__enterprises', 'snapshot', 1, 12),
    ('nursery__nurseries', 'snapshot', 1, 12),
    ('industry__ams_stacks', 'snapshot', 1, 12),
    ('regional__planting_plans', 'snapshot', 1, 12),
] -%}
with

calendars as (
    {%- for dataset, calendar, first_month, last_month in calendars %}
    select '{{ dataset }}'::text as dataset, '{{ calendar }}'::text as calendar,
           {{ first_month }} as first_month, {{ last_month }} as last_month
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

windows as materialized (
    -- materialized: the exists below runs once per required period (a daily feed: 365 a year),
    -- and inlined it would recompute the view (islands over every current batch) each time
    select * from {{ ref('int_activity__batch_windows') }}
),

batches as (
    select * from {{ ref('int_activity__current_batches') }}
),

years as (
    -- a registry snapshot describes the years before it too
    select batches.dataset, generate_series(
               case when min(calendars.calendar) = 'snapshot' then {{ var('taza_kpi_start_year') }}
                    else min(extract(year from batches.interval_start at time zone 'UTC'))::integer end,
               max(extract(year from (batches.interval_end - interval '1 microsecond') at time zone 'UTC'))::integer
           )::integer as year
    from batches
    inner join calendars on calendars.dataset = batches.dataset
    group by batches.dataset
),

periods as (
    -- the periods a complete year must have loaded
    select years.dataset, years.year, calendars.calendar, period_start, period_start + step as period_end
    from years
    inner join calendars on calendars.dataset = years.dataset
    cross join lateral (
        select case calendars.calendar when 'monthly' then interval '1 month'
                                       when 'daily' then interval '1 day'
                                       else interval '1 year' end as step
    ) as steps
    cross join lateral generate_series(
        make_timestamptz(years.year, calendars.first_month, 1, 0, 0, 0, 'UTC'),
        make_timestamptz(years.year, calendars.last_month, 1, 0, 0, 0, 'UTC') + interval '1 month' - steps.step,
        steps.step
    ) as period_start
),

snapshot_as_of as (
    select dataset, max(interval_end) as as_of from batches group by dataset
),

loaded_periods as (
    select
        periods.*,
        case when periods.calendar = 'snapshot'
             then snapshot_as_of.as_of >= periods.period_end
             else exists (select 1 from windows
                          where windows.dataset = periods.dataset
                            and windows.window_start <= periods.period_start
                            and windows.window_end >= periods.period_end)
        end as is_loaded
    from periods
    left join snapshot_as_of on snapshot_as_of.dataset = periods.dataset
),

year_batches as (
    select years.dataset, years.year,
           array_agg(batches.batch_id order by batches.batch_id) as batch_ids,
           max(batches.interval_end) as loaded_until
    from years
    inner join batches
        on batches.dataset = years.dataset
        and batches.interval_start < make_timestamptz(years.year + 1, 1, 1, 0, 0, 0, 'UTC')
        and batches.interval_end > make_timestamptz(years.year, 1, 1, 0, 0, 0, 'UTC')
    group by years.dataset, years.year
)

select
    loaded_periods.dataset::text                                        as dataset,
    loaded_periods.year::integer                                        as year,
    min(loaded_periods.calendar)::text                                  as calendar,
    count(*)::integer                                                   as periods_required,
    count(*) filter (where loaded_periods.is_loaded)::integer           as periods_loaded,
    bool_and(loaded_periods.is_loaded)::boolean                         as is_complete,
    min(year_batches.loaded_until)::timestamptz                         as loaded_until,
    min(year_batches.batch_ids)::text[]                                 as batch_ids
from loaded_periods
left join year_batches
    on year_batches.dataset = loaded_periods.dataset
    and year_batches.year = loaded_periods.year
group by loaded_periods.dataset, loaded_periods.year
