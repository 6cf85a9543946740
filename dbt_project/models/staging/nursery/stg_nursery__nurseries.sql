{#-
    The forest-nursery registry as of its latest snapshot, typed. Grain: one row per
    nursery_id.

    - The registry is landed as a full snapshot per run: only the rows of the newest
      current snapshot batch are the registry (a nursery missing from it has left the
      registry); older snapshots stay in raw and in the SCD2 snapshot
      snap_nursery__nurseries.
    - The feed names the region only, in whatever spelling the registrar used (e.g.
      'Zhetisu', 'Jetysu', 'Almatinskaya oblast'). Each spelling is an alias in seed
      region_code_aliases (name_en, name_ru, name_kk, name_variant); an unknown spelling
      resolves to null and fails the not_null test instead of guessing.
-#}
with

source as (
    {{ current_records('nursery', 'nurseries') }}
),

latest_snapshot as (
    select source.*
    from source
    where source._batch_id = (
        select latest._batch_id
        from source as latest
        order by latest._loaded_at desc, latest._batch_id desc
        limit 1
    )
),

region_names as (
    select alias_code, region_kato
    from {{ ref('region_code_aliases') }}
    where alias_type in ('name_en', 'name_ru', 'name_kk', 'name_variant')
),

typed as (
    select
        trim(nursery_id::text)                          as nursery_id,
        nullif(trim(name::text), '')                    as nursery_name,
        trim(region::text)                              as region_name_reported,
        area_ha::numeric(12, 2)                         as area_ha,
        capacity_seedlings_per_year::bigint             as capacity_seedlings_per_year,
        established_year::integer                       as established_year,
        has_closed_root_complex::boolean                as has_closed_root_complex,
        _batch_id::text                                 as _batch_id,
        _loaded_at::timestamptz                         as _loaded_at,
        _source_url::text                               as _source_url,
        _record_hash::text                              as _record_hash
    from latest_snapshot
),

deduplicated as (
    {{ newest_per_key('typed', 'nursery_id') }}
)

select
    deduplicated.nursery_id,
    deduplicated.nursery_name,
    region_names.region_kato::text as region_kato,
    deduplicated.region_name_reported,
    deduplicated.area_ha,
    deduplicated.capacity_seedlings_per_year,
    deduplicated.established_year,
    deduplicated.has_closed_root_complex,
    deduplicated._batch_id,
    deduplicated._loaded_at,
    deduplicated._source_url,
    deduplicated._record_hash
from deduplicated
left join region_names
    on region_names.alias_code = lower(deduplicated.region_name_reported)
