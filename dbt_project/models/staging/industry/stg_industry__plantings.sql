{#-
    Trees planted by enterprises per month, current validated batches, typed and
    deduplicated. Grain: one row per planting_id (one BIN and month).
-#}
with

source as (
    {{ current_records('industry', 'plantings') }}
),

region_codes as (
    select alias_code, region_kato
    from {{ ref('region_code_aliases') }}
    where alias_type in ('kato', 'kato_legacy', 'kato_ab', 'iso_3166_2', 'iso_legacy')
),

typed as (
    select
        trim(planting_id::text)                         as planting_id,
        trim(bin::text)                                 as bin,
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
    select
        typed.*,
        coalesce(region_codes.region_kato, typed.region_kato_reported) as region_kato
    from typed
    left join region_codes
        on region_codes.alias_code = lower(typed.region_kato_reported)
),

deduplicated as (
    select
        resolved.*,
        row_number() over (
            partition by planting_id
            order by _loaded_at desc, _batch_id desc, _record_hash desc
        ) as planting_rank
    from resolved
)

select
    planting_id,
    bin,
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
where planting_rank = 1
