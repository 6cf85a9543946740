{#-
    The projection of each scorecard row after its series' last complete year.

    Method: the least-squares line through the series' last complete years, at most
    `taza_projection_years` of them (projection_method 'linear_2y' / 'linear_3y');
    at least two complete years are needed, else there is no projection ('none'): one
    point gives no trend.
    Bounds (projection_bound says which one applied):
      - 'floor': the catalogue's projection_bound_factor times the series' last complete
        value for a cumulative series (1.0: a running total never falls), its lowest
        complete value for an annual one (0.8: a straight line through two or three
        points is not allowed to take a KPI more than 20 % below anything observed: waste
        per participant does not go to 0, survival not to 18 %, dumps not to 414);
        nothing goes below 0;
      - 'ceiling': a share stays at most 1.
    The series' fit (slope, intercept, last complete year) is kept on every row for the
    target-reached year.
-#}
with

grid as (
    select * from {{ ref('int_kpi_scorecard__grid') }}
),

complete_values as (
    select * from grid where not is_partial_year and actual_value is not null
),

ranked as (
    select
        complete_values.*,
        row_number() over (partition by kpi_code, variant, scope, region_kato, enterprise_bin
                           order by year desc) as recency
    from complete_values
),

fit as (
    select
        kpi_code, variant, scope, region_kato, enterprise_bin,
        max(year) as last_complete_year,
        count(*) as fitted_years,
        regr_slope(actual_value, year)::numeric as slope,
        regr_intercept(actual_value, year)::numeric as intercept,
        (array_agg(actual_value order by year desc))[1] as last_complete_value
    from ranked
    where recency <= {{ var('taza_projection_years') }}
    group by kpi_code, variant, scope, region_kato, enterprise_bin
),

observed as (
    select kpi_code, variant, scope, region_kato, enterprise_bin, min(actual_value) as lowest_complete_value
    from complete_values
    group by kpi_code, variant, scope, region_kato, enterprise_bin
),

raw as (
    select
        grid.scorecard_key,
        grid.unit,
        fit.last_complete_year,
        fit.fitted_years,
        fit.slope,
        fit.intercept,
        case
            when fit.fitted_years >= 2 and grid.year > fit.last_complete_year
            then fit.intercept + fit.slope * grid.year
        end as raw_projection,
        greatest(
            case when grid.accumulation = 'cumulative' then fit.last_complete_value
                 else observed.lowest_complete_value end * grid.projection_bound_factor,
            0
        ) as projection_floor,
        case when grid.unit = 'share' then 1 end as projection_ceiling
    from grid
    left join fit
        on fit.kpi_code = grid.kpi_code
        and fit.variant = grid.variant
        and fit.scope = grid.scope
        and fit.region_kato is not distinct from grid.region_kato
        and fit.enterprise_bin is not distinct from grid.enterprise_bin
    left join observed
        on observed.kpi_code = grid.kpi_code
        and observed.variant = grid.variant
        and observed.scope = grid.scope
        and observed.region_kato is not distinct from grid.region_kato
        and observed.enterprise_bin is not distinct from grid.enterprise_bin
)

select
    scorecard_key,
    round(case
        when raw_projection is null then null
        when raw_projection < projection_floor then projection_floor
        when raw_projection > projection_ceiling then projection_ceiling
        else raw_projection
    end, 6)::numeric                                                        as projected_value,
    case
        when raw_projection is null then 'none'
        else 'linear_' || fitted_years || 'y'
    end::text                                                               as projection_method,
    case
        when raw_projection < projection_floor then 'floor'
        when raw_projection > projection_ceiling then 'ceiling'
    end::text                                                               as projection_bound,
    last_complete_year::integer                                             as last_complete_year,
    case when fitted_years >= 2 then slope end::numeric                     as trend_slope,
    case when fitted_years >= 2 then intercept end::numeric                 as trend_intercept
from raw
