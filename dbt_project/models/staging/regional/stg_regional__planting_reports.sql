{#-
    Tree-planting reports of the current validated batches, typed and deduplicated.
    Grain: one row per report_id.

    - Only rows of the newest validated batch per (dataset, interval) are read, minus
      rows quarantined by the quality gate (macro current_records): superseded reruns,
      rejected/failed/loading batches never reach staging, although raw keeps them.
    - Region codes are resolved to the current 9-digit KATO through the code aliases of
      seed region_code_aliases (e.g. Shymkent's legacy 511010000 -> 790000000); names are
      never used for matching. The reported code is kept in region_kato_reported.
    - A report appearing more than once (within a batch, or in two current batches of
      different intervals) is kept once: latest reported_at, then latest load.
-#}
with

source as (
    {{ current_records('regional', 'planting_reports') }}
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
        lower(trim(programme::text))                    as programme,
        trees_planted::bigint                           as trees_planted,
        area_ha::numeric(14, 2)                         as area_ha,
        reported_at::timestamptz                        as reported_at,
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
            order by reported_at desc nulls last,
                     _loaded_at desc,
                     _batch_id desc,
                     _record_hash desc
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
    programme,
    trees_planted,
    area_ha,
    reported_at,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
where report_rank = 1
