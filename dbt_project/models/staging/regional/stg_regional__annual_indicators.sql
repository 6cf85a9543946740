{#-
    Annual regional indicators (pupils and eco-education, citizen satisfaction,
    municipal solid waste) of the current validated batches, typed and deduplicated.
    Grain: one row per indicator_id (one region and year).
-#}
with

source as (
    {{ current_records('regional', 'annual_indicators') }}
),

region_codes as (
    select alias_code, region_kato
    from {{ ref('region_code_aliases') }}
    where alias_type in ('kato', 'kato_legacy', 'kato_ab', 'iso_3166_2', 'iso_legacy')
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
            partition by indicator_id
            order by _loaded_at desc, _batch_id desc, _record_hash desc
        ) as indicator_rank
    from resolved
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
where indicator_rank = 1
