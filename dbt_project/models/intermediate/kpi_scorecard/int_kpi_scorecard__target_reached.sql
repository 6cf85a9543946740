{#-
    For cumulative KPIs (seed kpi_catalogue accumulation 'cumulative') with an official
    final target: the year the path's final target (its last official_target row in
    concept_targets) is reached. The first complete year whose actual reaches it, else the
    first year after the last complete year where the projection's trend line reaches it
    (may lie after 2029); null when there is no trend (fewer than two complete years) or
    it does not rise. One row per series.
-#}
with

status as (
    select * from {{ ref('int_kpi_scorecard__status') }}
    where accumulation = 'cumulative'
),

final_targets as (
    select distinct on (kpi_code, variant, scope, region_kato)
        kpi_code, variant, scope, region_kato, target_value
    from {{ ref('concept_targets') }}
    where target_kind = 'official_target'
    order by kpi_code, variant, scope, region_kato, year desc
)

select
    status.kpi_code, status.variant, status.scope, status.region_kato, status.enterprise_bin,
    coalesce(
        min(status.year) filter (where not status.is_partial_year
                                 and status.actual_value >= final_targets.target_value),
        case
            when max(status.trend_slope) > 0
            then greatest(ceil((max(final_targets.target_value) - max(status.trend_intercept))
                               / max(status.trend_slope)),
                          max(status.last_complete_year) + 1)
        end
    )::integer as target_reached_year
from status
inner join final_targets
    on final_targets.kpi_code = status.kpi_code
    and final_targets.variant = status.variant
    and final_targets.scope = status.scope
    and final_targets.region_kato is not distinct from status.region_kato
group by status.kpi_code, status.variant, status.scope, status.region_kato, status.enterprise_bin
