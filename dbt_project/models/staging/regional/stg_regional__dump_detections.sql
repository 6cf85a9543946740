{#-
    Illegal dumps found by space monitoring, current validated batches, typed and
    deduplicated. Grain: one row per detection_id. The monitoring system still codes
    Shymkent under its legacy KATO 511010000: resolved through seed region_code_aliases.
    A detection's status changes between loads (open -> eliminated); the newest load wins.
-#}
with

source as (
    {{ current_records('regional', 'dump_detections') }}
),

typed as (
    select
        trim(detection_id::text)                        as detection_id,
        trim(region_kato::text)                         as region_kato_reported,
        lat::numeric(8, 5)                              as lat,
        lon::numeric(8, 5)                              as lon,
        area_m2::numeric(12, 1)                         as area_m2,
        detected_at::timestamptz                        as detected_at,
        eliminated_at::timestamptz                      as eliminated_at,
        lower(trim(status::text))                       as status,
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
    {{ newest_per_key('resolved', 'detection_id') }}
)

select
    detection_id,
    region_kato,
    region_kato_reported,
    lat,
    lon,
    area_m2,
    detected_at,
    eliminated_at,
    status,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
