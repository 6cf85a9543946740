{#-
    Resident population per region and KPI year (var taza_kpi_start_year to taza_kpi_end_year), the
    denominator of the per-capita and population-weighted KPIs, from seed
    population_by_region_year. A year the seed has no figure for takes the region's figure
    of the nearest year (the earlier one on a tie), so rates can be computed for every year
    with data; population_year and population_kind say which figure was used and whether
    it is official or an estimate.
-#}
with

seed as (
    select region_kato::text as region_kato, year::integer as year, population::bigint as population,
           population_kind::text as population_kind
    from {{ ref('population_by_region_year') }}
    where region_kato::text in (select region_kato from {{ ref('dim_region') }})
),

years as (
    select generate_series({{ var('taza_kpi_start_year') }}, {{ var('taza_kpi_end_year') }})::integer as year
),

ranked as (
    select
        seed.region_kato,
        years.year,
        seed.population,
        seed.year as population_year,
        seed.population_kind,
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
    population_year::integer    as population_year,
    population_kind::text       as population_kind
from ranked
where nearness = 1
