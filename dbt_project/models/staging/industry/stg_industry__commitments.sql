{#-
    Enterprises' yearly tree-planting commitments, current validated batches, typed and
    deduplicated. Grain: one row per commitment_id (one BIN and year).
-#}
with

source as (
    {{ current_records('industry', 'commitments') }}
),

typed as (
    select
        trim(commitment_id::text)                       as commitment_id,
        trim(bin::text)                                 as enterprise_bin,
        year::integer                                   as year,
        trees_committed::bigint                         as trees_committed,
        area_committed_ha::numeric(14, 2)               as area_committed_ha,
        _batch_id::text                                 as _batch_id,
        _loaded_at::timestamptz                         as _loaded_at,
        _source_url::text                               as _source_url,
        _record_hash::text                              as _record_hash
    from source
),

deduplicated as (
    {{ newest_per_key('typed', 'commitment_id') }}
)

select
    commitment_id,
    enterprise_bin,
    year,
    trees_committed,
    area_committed_ha,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
