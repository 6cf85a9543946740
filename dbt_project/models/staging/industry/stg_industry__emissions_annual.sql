{#-
    Annual stationary-source emission reports, current validated batches, typed and
    deduplicated. Grain: one row per report_id (one BIN, year and pollutant).
-#}
with

source as (
    {{ current_records('industry', 'emissions_annual') }}
),

typed as (
    select
        trim(report_id::text)                           as report_id,
        trim(bin::text)                                 as enterprise_bin,
        trim(region_kato::text)                         as region_kato_reported,
        year::integer                                   as year,
        lower(trim(pollutant::text))                    as pollutant,
        emissions_t::numeric(14, 1)                     as emissions_t,
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
    enterprise_bin,
    region_kato,
    region_kato_reported,
    year,
    pollutant,
    emissions_t,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
