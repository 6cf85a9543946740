{#-
    Annual stationary-source emission reports, current validated batches, typed and
    deduplicated. Grain: one row per report_id (one BIN, year and pollutant).
-#}
with

source as (
    {{ current_records('industry', 'emissions_annual') }}
),

region_codes as (
    select alias_code, region_kato
    from {{ ref('region_code_aliases') }}
    where alias_type in ('kato', 'kato_legacy', 'kato_ab', 'iso_3166_2', 'iso_legacy')
),

typed as (
    select
        trim(report_id::text)                           as report_id,
        trim(bin::text)                                 as bin,
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
            partition by report_id
            order by _loaded_at desc, _batch_id desc, _record_hash desc
        ) as report_rank
    from resolved
)

select
    report_id,
    bin,
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
where report_rank = 1
