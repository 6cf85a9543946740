{#-
    Resident population per region for every KPI year (var taza_kpi_start_year to 2029),
    from seed population_by_region_year. A year the seed has no figure for takes the
    region's figure of the nearest year (the earlier one on a tie), so rates can be
    computed for every year with data; population_year says which figure was used.
-#}
with

seed as (
    select region_kato::text as region_kato, year::integer as year, population::bigint as population
    from {{ ref('population_by_region_year') }}
    where region_kato::text in (select region_kato from {{ ref('dim_region') }})
),

years as (
    select generate_series({{ var('taza_kpi_start_year') }}, 2029)::integer as year
),

ranked as (
    select
        seed.region_kato,
        years.year,
        seed.population,
        seed.year as population_year,
        row_number() over (
            partition by seed.region_kato, years.year
            order by abs(seed.year - years.year), seed.year
        ) as nearness
    from years
    cross join seed
)

select
    region_kato::text           as region_kato,
    year::integer               as year,
    population::bigint          as population,
    population_year::integer    as population_year
from ranked
where nearness = 1
