{#-
    Survival inspections of state-forest-fund planting sites, one row per site and
    inspection (year 1 and year 3 after planting). survival_rate is the site's own rate;
    aggregate with sum(surviving) / sum(planted), never by averaging rates.
-#}
select
    inventory_id::text                                              as inventory_id,
    site_id::text                                                   as site_id,
    region_kato::text                                               as region_kato,
    planting_year::integer                                          as planting_year,
    inspection_year::integer                                        as inspection_year,
    inspection_type::text                                           as inspection_type,
    (inspection_year - planting_year)::integer                      as years_after_planting,
    area_ha::numeric(12, 2)                                         as area_ha,
    planted::bigint                                                 as planted,
    surviving::bigint                                               as surviving,
    round(surviving::numeric / nullif(planted, 0), 4)::numeric(7, 4) as survival_rate,
    _batch_id::text                                                 as _batch_id
from {{ ref('stg_nursery__survival_inventories') }}
