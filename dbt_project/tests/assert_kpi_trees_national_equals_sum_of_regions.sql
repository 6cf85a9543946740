-- Every national KPI row equals the sum of its regional rows (no plantings lost to an
-- unknown region code, no region counted twice). Returns the rows that disagree.
with national as (
    select year, trees_planted_year, trees_planted_cumulative
    from {{ ref('kpi_trees_planted') }}
    where scope = 'national'
),

regions as (
    select year,
           sum(trees_planted_year) as trees_planted_year,
           sum(trees_planted_cumulative) as trees_planted_cumulative
    from {{ ref('kpi_trees_planted') }}
    where scope = 'region'
    group by year
)

select national.*, regions.trees_planted_year as regions_year, regions.trees_planted_cumulative as regions_cumulative
from national
full outer join regions using (year)
where national.trees_planted_cumulative is distinct from regions.trees_planted_cumulative
   or national.trees_planted_year is distinct from regions.trees_planted_year
