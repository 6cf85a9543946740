{#- The 20 current first-level regions (17 oblys + 3 cities of republican significance). -#}
select
    region_kato::text                                         as region_kato,
    kato_ab::text                                             as kato_ab,
    iso_3166_2::text                                          as iso_3166_2,
    name_en::text                                             as name_en,
    name_ru::text                                             as name_ru,
    name_kk::text                                             as name_kk,
    region_type::text                                         as region_type,
    (region_type = 'city_republican')::boolean                as is_city_republican,
    admin_centre::text                                        as admin_centre,
    area_km2::numeric(10, 2)                                  as area_km2,
    pop_2023_01_01::bigint                                    as population_2023_01_01,
    round(pop_2023_01_01 / nullif(area_km2, 0), 1)::numeric(10, 1)
                                                              as population_density_2023_per_km2
from {{ ref('regions') }}
