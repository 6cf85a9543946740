{#-
    The forest nurseries currently registered, one row per nursery: the current version
    of each nursery in the SCD2 snapshot snap_nursery__nurseries (older versions and
    nurseries that left the registry stay in the snapshot).
-#}
select
    nursery_id::text                                   as nursery_id,
    nursery_name::text                                 as nursery_name,
    region_kato::text                                  as region_kato,
    region_name_reported::text                         as region_name_reported,
    area_ha::numeric(12, 2)                            as area_ha,
    capacity_seedlings_per_year::bigint                as capacity_seedlings_per_year,
    established_year::integer                          as established_year,
    has_closed_root_complex::boolean                   as has_closed_root_complex,
    dbt_valid_from::timestamptz                        as valid_from
from {{ ref('snap_nursery__nurseries') }}
where dbt_valid_to is null
