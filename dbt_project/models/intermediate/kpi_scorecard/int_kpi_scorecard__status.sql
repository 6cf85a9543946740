{#-
    The status of each scorecard row, with the row's value, target and projection.

    status_basis, the value judged against the target:
      - a complete year: its actual value ('actual');
      - a year not complete (partial, future, or not reported yet), by the KPI's
        partial_year_rule (seed kpi_catalogue):
          year_to_date     its value so far where there is one (a share or ratio of the
                           same period does not grow with the year), else the projection;
          projection       the projection (flows that grow with the year);
          at_most_reached  a count that only grows: its value so far once that already
                           passes an at-most target (or reaches an at-least one), else
                           the projection;
          not_judged       nothing: such a KPI is judged on complete years only (e.g.
                           commitment fulfilment: trees planted so far / the whole year's
                           commitment says nothing mid-year).
    status: no_target where the year has no official target (none, an estimate, or a
    baseline, which is where a path starts); else kpi_status() of the basis value with
    `taza_status_tolerance`; no_data when there is no value to judge.
-#}
with

grid as (
    select * from {{ ref('int_kpi_scorecard__grid') }}
),

rows_with_target as (
    select *
    from grid
    inner join {{ ref('int_kpi_scorecard__targets') }} as targets using (scorecard_key)
    inner join {{ ref('int_kpi_scorecard__projection') }} as projection using (scorecard_key)
),

with_basis as (
    select
        rows_with_target.*,
        case
            when not target_is_official then null
            when not is_partial_year then 'actual'
            when partial_year_rule = 'year_to_date' and actual_value is not null then 'year_to_date'
            when partial_year_rule = 'at_most_reached' and actual_value is not null
                 and ((target_direction in ('decrease', 'at_most') and actual_value > target_value)
                      or (target_direction in ('increase', 'at_least') and actual_value >= target_value))
                then 'year_to_date'
            when partial_year_rule in ('year_to_date', 'projection', 'at_most_reached')
                 and projected_value is not null then 'projected'
        end as status_basis
    from rows_with_target
)

select
    scorecard_key, kpi_code, kpi_name, variant, scope, region_kato, enterprise_bin, year,
    actual_value, is_partial_year, projected_value, projection_method, projection_bound,
    last_complete_year, trend_slope, trend_intercept,
    target_value, target_is_interpolated, target_direction, target_kind, target_is_official,
    target_source_note, target_source_url,
    unit, direction, accumulation, partial_year_rule,
    case
        when not target_is_official then 'no_target'
        else {{ kpi_status(
            "case status_basis when 'actual' then actual_value
                               when 'year_to_date' then actual_value
                               when 'projected' then projected_value end",
            "target_value",
            "target_direction in ('increase', 'at_least')",
            var('taza_status_tolerance')
        ) }}
    end::text                                                               as status,
    status_basis::text                                                      as status_basis,
    lineage_batch_ids
from with_basis
