{#-
    State-forest-fund planting plans as the newest validated snapshot of the plan register
    shows them. Grain: one row per plan_id (region x plan year x revision).

    The register is served whole on every run (request style 'snapshot'), every revision
    published so far included, so the newest snapshot replaces the earlier ones: a revised
    plan is a new row, the revision it replaced stays. Region codes resolve to the
    current KATO (macro resolve_region_kato).
-#}
with

source as (
    {{ current_records('regional', 'planting_plans') }}
),

newest_snapshot as (
    select _batch_id
    from source
    order by _loaded_at desc, _batch_id desc
    limit 1
),

typed as (
    select
        trim(plan_id::text)                             as plan_id,
        trim(region_kato::text)                         as region_kato_reported,
        nullif(trim(region_name::text), '')             as region_name_reported,
        plan_year::integer                              as plan_year,
        revision::integer                               as revision,
        published_on::date                              as published_on,
        lower(trim(programme::text))                    as programme,
        trees_planned::bigint                           as trees_planned,
        area_planned_ha::numeric(14, 2)                 as area_planned_ha,
        _batch_id::text                                 as _batch_id,
        _loaded_at::timestamptz                         as _loaded_at,
        _source_url::text                               as _source_url,
        _record_hash::text                              as _record_hash
    from source
    where _batch_id in (select _batch_id from newest_snapshot)
),

resolved as (
    {{ resolve_region_kato('typed') }}
),

deduplicated as (
    {{ newest_per_key('resolved', 'plan_id') }}
)

select
    plan_id,
    region_kato,
    region_kato_reported,
    region_name_reported,
    plan_year,
    revision,
    published_on,
    programme,
    trees_planned,
    area_planned_ha,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
