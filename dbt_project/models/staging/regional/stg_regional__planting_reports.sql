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
    {{ resolve_region_kato('typed') }}
),

deduplicated as (
    {{ newest_per_key('resolved', 'report_id', rank_first='reported_at desc nulls last') }}
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
