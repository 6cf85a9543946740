{#-
    Trees planted by enterprises per month, current validated batches, typed and
    deduplicated. Grain: one row per planting_id (one BIN and month).
-#}
with

source as (
    {{ current_records('industry', 'plantings') }}
),

typed as (
    select
        trim(planting_id::text)                         as planting_id,
        trim(bin::text)                                 as enterprise_bin,
        trim(region_kato::text)                         as region_kato_reported,
        date_trunc('month', period)::date               as period_month,
        trees_planted::bigint                           as trees_planted,
        area_ha::numeric(14, 2)                         as area_ha,
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
    {{ newest_per_key('resolved', 'planting_id') }}
)

select
    planting_id,
    enterprise_bin,
    region_kato,
    region_kato_reported,
    period_month,
    trees_planted,
    area_ha,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
