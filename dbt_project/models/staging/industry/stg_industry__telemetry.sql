{#-
    AMS telemetry readings (20-minute averages per stack and pollutant) of the current
    validated batches, typed. Grain: one row per reading and batch.

    Deliberately NOT deduplicated: the feed is large, and a window over every reading
    would stop the incremental fact's filter on _batch_id from reaching raw. A reading
    appears twice only when two current batches' windows overlap (a run with the DAG
    param watermark_from over intervals already loaded); fct_emission_readings keeps the
    newest load of each reading_id.
-#}
select
    trim(reading_id::text)                          as reading_id,
    trim(bin::text)                                 as enterprise_bin,
    trim(stack_id::text)                            as stack_id,
    lower(trim(pollutant::text))                    as pollutant,
    reading_at::timestamptz                         as reading_at,
    value_mg_m3::numeric(12, 2)                     as value_mg_m3,
    limit_mg_m3::numeric(12, 2)                     as limit_mg_m3,
    flow_m3_h::numeric(14, 1)                       as flow_m3_h,
    lower(trim(status::text))                       as status,
    _batch_id::text                                 as _batch_id,
    _loaded_at::timestamptz                         as _loaded_at,
    _source_url::text                               as _source_url,
    _record_hash::text                              as _record_hash
from ({{ current_records('industry', 'telemetry') }}) as source
