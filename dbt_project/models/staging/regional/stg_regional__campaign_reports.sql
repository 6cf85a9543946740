{#-
    Taza Kazakhstan campaign reports of the current validated batches, typed and
    deduplicated. Grain: one row per report_id (one district and month).
    Region codes resolve to the current KATO through the code aliases of seed
    region_code_aliases; the reported name is kept for information only.
-#}
with

source as (
    {{ current_records('regional', 'campaign_reports') }}
),

typed as (
    select
        trim(report_id::text)                           as report_id,
        trim(region_kato::text)                         as region_kato_reported,
        nullif(trim(region_name::text), '')             as region_name_reported,
        nullif(trim(district::text), '')                as district,
        date_trunc('month', period)::date               as period_month,
        events::bigint                                  as events,
        participants::bigint                            as participants,
        volunteers::bigint                              as volunteers,
        waste_collected_t::numeric(14, 1)               as waste_collected_t,
        area_cleaned_ha::numeric(14, 2)                 as area_cleaned_ha,
        trees_planted::bigint                           as trees_planted,
        dumps_eliminated::bigint                        as dumps_eliminated,
        _batch_id::text                                 as _batch_id,
        _loaded_at::timestamptz                         as _loaded_at,
        _source_url::text                               as _source_url,
        _record_hash::text                              as _record_hash
    from source
),

resolved as (
    {{ resolve_region_kato('typed') }}
),

deduplicated as (
    {{ newest_per_key('resolved', 'report_id') }}
)

select
    report_id,
    region_kato,
    region_kato_reported,
    region_name_reported,
    district,
    period_month,
    events,
    participants,
    volunteers,
    waste_collected_t,
    area_cleaned_ha,
    trees_planted,
    dumps_eliminated,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
