{#-
    Trees planted per region, month and programme, summed over the current reports.
    Grain: (region_kato, period_month, programme). Trace a row back to its source
    records through stg_regional__planting_reports (same three columns), which carries
    _batch_id and _record_hash; lineage_batch_ids names the batches summed.
-#}
with reports as (
    select * from {{ ref('stg_regional__planting_reports') }}
)

select
    md5(region_kato || '|' || period_month::text || '|' || programme)::text  as planting_key,
    region_kato::text                                                        as region_kato,
    period_month::date                                                       as period_month,
    extract(year from period_month)::integer                                 as period_year,
    programme::text                                                          as programme,
    sum(trees_planted)::bigint                                               as trees_planted,
    sum(area_ha)::numeric(14, 2)                                             as area_ha,
    count(*)::bigint                                                         as report_count,
    count(distinct district)::bigint                                         as district_count,
    max(_loaded_at)::timestamptz                                             as last_loaded_at,
    array_agg(distinct _batch_id order by _batch_id)::text[]                 as lineage_batch_ids
from reports
group by region_kato, period_month, programme
