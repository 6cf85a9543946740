-- fct_plantings holds exactly the trees, area and reports of the staged reports
-- (auditor's reconciliation). Returns a row when the totals differ.
with staged as (
    select sum(trees_planted) as trees_planted, sum(area_ha) as area_ha, count(*) as report_count
    from {{ ref('stg_regional__planting_reports') }}
),

fact as (
    select sum(trees_planted) as trees_planted, sum(area_ha) as area_ha, coalesce(sum(report_count), 0) as report_count
    from {{ ref('fct_plantings') }}
)

select staged.*, fact.trees_planted as fct_trees_planted, fact.area_ha as fct_area_ha, fact.report_count as fct_report_count
from staged cross join fact
where staged.trees_planted is distinct from fact.trees_planted
   or staged.area_ha is distinct from fact.area_ha
   or staged.report_count is distinct from fact.report_count
