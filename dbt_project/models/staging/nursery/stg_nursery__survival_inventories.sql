{#-
    Survival inventories of state-forest-fund plantings (sample sites inspected one and
    three years after planting), current validated batches, typed and deduplicated.
    Grain: one row per inventory_id (site x inspection type). Region codes resolve to the
    current KATO through the code aliases of seed region_code_aliases.
-#}
with

source as (
    {{ current_records('nursery', 'survival_inventories') }}
),

typed as (
    select
        trim(inventory_id::text)                        as inventory_id,
        trim(site_id::text)                             as site_id,
        trim(region_kato::text)                         as region_kato_reported,
        planting_year::integer                          as planting_year,
        inspection_year::integer                        as inspection_year,
        lower(trim(inspection_type::text))              as inspection_type,
        area_ha::numeric(12, 2)                         as area_ha,
        planted::bigint                                 as planted,
        surviving::bigint                               as surviving,
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
    {{ newest_per_key('resolved', 'inventory_id') }}
)

select
    inventory_id,
    site_id,
    region_kato,
    region_kato_reported,
    planting_year,
    inspection_year,
    inspection_type,
    area_ha,
    planted,
    surviving,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
