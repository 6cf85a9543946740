{#-
    Taza Kazakhstan campaign activity per region and month, summed over the districts'
    reports. Grain: (region_kato, period_month). Trace a row to its reports through
    stg_regional__campaign_reports (same two columns) or lineage_batch_ids.
-#}
with reports as (
    select * from {{ ref('stg_regional__campaign_reports') }}
)

select
    md5(region_kato || '|' || period_month::text)::text                 as campaign_activity_key,
    region_kato::text                                                   as region_kato,
    period_month::date                                                  as period_month,
    extract(year from period_month)::integer                            as period_year,
    sum(events)::bigint                                                 as events,
    sum(participants)::bigint                                           as participants,
    sum(volunteers)::bigint                                             as volunteers,
    sum(waste_collected_t)::numeric(14, 1)                              as waste_collected_t,
    sum(area_cleaned_ha)::numeric(14, 2)                                as area_cleaned_ha,
    sum(trees_planted)::bigint                                          as trees_planted,
    sum(dumps_eliminated)::bigint                                       as dumps_eliminated,
    count(*)::bigint                                                    as report_count,
    count(distinct district)::bigint                                    as district_count,
    array_agg(distinct _batch_id order by _batch_id)::text[]            as lineage_batch_ids
from reports
group by region_kato, period_month
