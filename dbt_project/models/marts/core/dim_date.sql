{#- One row per calendar day of the Concept period and the programme years, 2021-01-01 .. 2029-12-31. -#}
with days as (
    select generate_series(
        make_date({{ var('taza_kpi_start_year') }}, 1, 1),
        make_date({{ var('taza_kpi_end_year') }}, 12, 31),
        interval '1 day'
    )::date as date_day
)

select
    date_day::date                                             as date_day,
    extract(year from date_day)::integer                       as year,
    extract(quarter from date_day)::integer                    as quarter,
    extract(month from date_day)::integer                      as month,
    to_char(date_day, 'FMMonth')::text                         as month_name,
    date_trunc('month', date_day)::date                        as month_start,
    extract(isoyear from date_day)::integer                    as iso_year,
    extract(week from date_day)::integer                       as iso_week,
    extract(isodow from date_day)::integer                     as iso_day_of_week,
    (extract(isodow from date_day) >= 6)::boolean              as is_weekend,
    case
        when extract(month from date_day) between 3 and 5 then 'spring'
        when extract(month from date_day) between 9 and 11 then 'autumn'
    end::text                                                  as planting_season,
    (extract(month from date_day) between 3 and 9)::boolean    as is_dump_monitoring_season
from days
