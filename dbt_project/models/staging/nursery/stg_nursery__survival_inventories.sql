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

region_codes as (
    select alias_code, region_kato
    from {{ ref('region_code_aliases') }}
    where alias_type in ('kato', 'kato_legacy', 'kato_ab', 'iso_3166_2', 'iso_legacy')
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
            partition by inventory_id
            order by _loaded_at desc, _batch_id desc, _record_hash desc
        ) as inventory_rank
    from resolved
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
where inventory_rank = 1
