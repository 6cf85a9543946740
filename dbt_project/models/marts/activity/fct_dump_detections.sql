{#-
    Illegal dumps found by space monitoring, one row per detection, with how long the
    removal took. days_to_eliminate counts calendar days in Kazakhstan time (UTC+5, the
    single national time zone since 1 March 2024) from the satellite image to the removal.
-#}
{%- set local_offset = "interval '+05:00'" -%}
with detections as (
    select * from {{ ref('stg_regional__dump_detections') }}
)

select
    detection_id::text                                                  as detection_id,
    region_kato::text                                                   as region_kato,
    detected_at::timestamptz                                            as detected_at,
    (detected_at at time zone {{ local_offset }})::date                 as detected_date,
    extract(year from detected_at at time zone {{ local_offset }})::integer
                                                                        as detected_year,
    eliminated_at::timestamptz                                          as eliminated_at,
    status::text                                                        as status,
    (status = 'eliminated')::boolean                                    as is_eliminated,
    case
        when status = 'eliminated'
        then (eliminated_at at time zone {{ local_offset }})::date
             - (detected_at at time zone {{ local_offset }})::date
    end::integer                                                        as days_to_eliminate,
    area_m2::numeric(12, 1)                                             as area_m2,
    lat::numeric(8, 5)                                                  as lat,
    lon::numeric(8, 5)                                                  as lon,
    _batch_id::text                                                     as _batch_id
from detections
