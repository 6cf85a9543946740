{#-
    Taza Kazakhstan campaign reports of the current validated batches, typed and
    deduplicated. Grain: one row per report_id (one district and month).
    Region codes resolve to the current KATO through the code aliases of seed
    region_code_aliases; the reported name is kept for information only.
-#}
with

source as (
    {{ current_records('regional', 'campaign_reports') }}
),

region_codes as (
    select alias_code, region_kato
    from {{ ref('region_code_aliases') }}
    where alias_type in ('kato', 'kato_legacy', 'kato_ab', 'iso_3166_2', 'iso_legacy')
),

typed as (
    select
        trim(report_id::text)                           as report_id,
        trim(region_kato::text)                         as region_kato_reported,
        nullif(trim(region_name::text), '')             as region_name_reported,
        nullif(trim(district::text), '')                as district,
        date_trunc('month', period)::date               as period_month,
        events::bigint                                  as events,
        participants::bigint                            as participants,
        volunteers::bigint                              as volunteers,
        waste_collected_t::numeric(14, 1)               as waste_collected_t,
        area_cleaned_ha::numeric(14, 2)                 as area_cleaned_ha,
        trees_planted::bigint                           as trees_planted,
        dumps_eliminated::bigint                        as dumps_eliminated,
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
    region_kato,
    region_kato_reported,
    region_name_reported,
    district,
    period_month,
    events,
    participants,
    volunteers,
    waste_collected_t,
    area_cleaned_ha,
    trees_planted,
    dumps_eliminated,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
where report_rank = 1
