{#-
    Annual regional indicators (pupils and eco-education, citizen satisfaction,
    municipal solid waste) of the current validated batches, typed and deduplicated.
    Grain: one row per indicator_id (one region and year).
-#}
with

source as (
    {{ current_records('regional', 'annual_indicators') }}
),

typed as (
    select
        trim(indicator_id::text)                        as indicator_id,
        trim(region_kato::text)                         as region_kato_reported,
        nullif(trim(region_name::text), '')             as region_name_reported,
        year::integer                                   as year,
        pupils_total::bigint                            as pupils_total,
        pupils_in_eco_events::bigint                    as pupils_in_eco_events,
        satisfaction_share::numeric(6, 4)               as satisfaction_share,
        msw_generated_t::numeric(14, 1)                 as msw_generated_t,
        msw_processed_t::numeric(14, 1)                 as msw_processed_t,
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
    {{ newest_per_key('resolved', 'indicator_id') }}
)

select
    indicator_id,
    region_kato,
    region_kato_reported,
    region_name_reported,
    year,
    pupils_total,
    pupils_in_eco_events,
    satisfaction_share,
    msw_generated_t,
    msw_processed_t,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
