{#-
    Seedling stock of the nurseries per season, species and age, of the current validated
    batches, typed and deduplicated. Grain: one row per stock_id (nursery x season x
    species x age). The region comes from the registry (stg_nursery__nurseries).
-#}
with

source as (
    {{ current_records('nursery', 'seedling_stock') }}
),

typed as (
    select
        trim(stock_id::text)                            as stock_id,
        trim(nursery_id::text)                          as nursery_id,
        season_year::integer                            as season_year,
        lower(trim(species::text))                      as species,
        age_years::integer                              as age_years,
        seedlings_ready::bigint                         as seedlings_ready,
        seedlings_total::bigint                         as seedlings_total,
        _batch_id::text                                 as _batch_id,
        _loaded_at::timestamptz                         as _loaded_at,
        _source_url::text                               as _source_url,
        _record_hash::text                              as _record_hash
    from source
),

deduplicated as (
    {{ newest_per_key('typed', 'stock_id') }}
)

select
    stock_id,
    nursery_id,
    season_year,
    species,
    age_years,
    seedlings_ready,
    seedlings_total,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
