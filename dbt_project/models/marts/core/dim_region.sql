{#- The 20 current first-level regions (17 oblys + 3 cities of republican significance). -#}
with population_2026 as (
    select region_kato, population, population_kind
    from {{ ref('population_by_region_year') }}
    where year = 2026
)

select
    regions.region_kato::text                                 as region_kato,
    regions.kato_ab::text                                     as kato_ab,
    regions.iso_3166_2::text                                  as iso_3166_2,
    regions.name_en::text                                     as name_en,
    regions.name_ru::text                                     as name_ru,
    regions.name_kk::text                                     as name_kk,
    regions.region_type::text                                 as region_type,
    (regions.region_type = 'city_republican')::boolean        as is_city_republican,
    regions.admin_centre::text                                as admin_centre,
    regions.area_km2::numeric(10, 2)                          as area_km2,
    regions.pop_2023_01_01::bigint                            as population_2023_01_01,
    round(regions.pop_2023_01_01 / nullif(regions.area_km2, 0), 1)::numeric(10, 1)
                                                              as population_density_2023_per_km2,
    population_2026.population::bigint                        as population_2026_01_01,
    population_2026.population_kind::text                     as population_2026_kind
from {{ ref('regions') }} as regions
left join population_2026
    on population_2026.region_kato = regions.region_kato
