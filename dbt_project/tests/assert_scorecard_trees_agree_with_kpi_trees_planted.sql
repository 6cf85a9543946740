-- The scorecard's planted trees (int_kpi_values__forestry, from staging) equal the
-- kpi_trees_planted mart (from fct_plantings) for every scope, region and year with
-- data: two paths from the same reports must agree. Returns the rows that differ.
with scorecard as (
    select scope, region_kato, year, actual_value
    from {{ ref('kpi_concept_scorecard') }}
    where kpi_code = 'trees_planted_cumulative' and actual_value is not null
),

kpi_mart as (
    select scope, region_kato, year, trees_planted_cumulative::numeric as actual_value
    from {{ ref('kpi_trees_planted') }}
    where programme = 'state_forest_fund'
)

select scorecard.*, kpi_mart.actual_value as kpi_trees_planted_value
from scorecard
full outer join kpi_mart
    on kpi_mart.scope = scorecard.scope
    and kpi_mart.region_kato is not distinct from scorecard.region_kato
    and kpi_mart.year = scorecard.year
where scorecard.actual_value is distinct from kpi_mart.actual_value
