{#-
    KPI trees_planted_cumulative for BI: the scorecard's rows of this KPI (national and per
    region, years with data) with the figures an analyst asks of a cumulative target -
    planted in the year, share of the final target, what remains and what it needs per
    year. A slice of kpi_concept_scorecard, not a second computation: every value, target,
    status and completeness flag is the scorecard's; only differences and ratios of them
    are added here.

    The final target is the latest year the scorecard sets an official target for the
    series (2 billion trees in the state forest fund by 2027, seed concept_targets; the
    years after hold it); regions have none.
    months_covered: the planting-report months loaded for the year (int_feed_year_coverage);
    the year is complete when all twelve are, whether or not anything was planted.
    Column names and meanings are those BI queries used before this model became a slice
    (target_value is the final target, as it was); the year's target on the official path
    is year_target_value. Gone with the second computation: programme (only the state
    forest fund is counted), area and report counts (fct_plantings has them).
-#}
with

scorecard as (
    select *
    from {{ ref('kpi_concept_scorecard') }}
    where kpi_code = 'trees_planted_cumulative'
      and variant = 'total'
),

target_points as (
    -- the years where an official target is set: not the years after it, which hold it
    select scope, region_kato, year, target_value,
           target_kind = 'official_target'
           and (lag(target_kind) over series is distinct from 'official_target'
                or lag(target_value) over series is distinct from target_value) as sets_a_target
    from scorecard
    window series as (partition by scope, region_kato order by year)
),

final_targets as (
    -- the series' final official target: the latest year one is set (2 bn in 2027, held to 2029)
    select distinct on (scope, region_kato)
        scope, region_kato, year as final_target_year, target_value as final_target_value
    from target_points
    where sets_a_target
    order by scope, region_kato, year desc
),

coverage as (
    select year, periods_loaded
    from {{ ref('int_feed_year_coverage') }}
    where dataset = 'regional__planting_reports'
),

with_data as (
    select
        scorecard.*,
        actual_value::numeric as cumulative,
        actual_value - coalesce(lag(actual_value) over series, 0) as trees_planted_year
    from scorecard
    where actual_value is not null
    window series as (partition by scope, region_kato order by year)
)

select
    with_data.kpi_code::text                                                    as kpi_code,
    with_data.scope::text                                                       as scope,
    with_data.region_kato::text                                                 as region_kato,
    coalesce(regions.name_en, 'Kazakhstan')::text                               as region_name_en,
    with_data.year::integer                                                     as year,
    with_data.trees_planted_year::bigint                                        as trees_planted_year,
    with_data.cumulative::bigint                                                as trees_planted_cumulative,
    (not with_data.is_partial_year)::boolean                                    as is_year_complete,
    coalesce(coverage.periods_loaded, 0)::integer                               as months_covered,
    with_data.target_value::bigint                                              as year_target_value,
    with_data.target_kind::text                                                 as year_target_kind,
    with_data.status::text                                                      as status,
    with_data.status_basis::text                                                as status_basis,
    with_data.projected_value::bigint                                           as projected_value,
    final_targets.final_target_value::bigint                                    as target_value,
    final_targets.final_target_year::integer                                    as target_year,
    round(with_data.cumulative / nullif(final_targets.final_target_value, 0), 6)::numeric(12, 6)
                                                                                as share_of_target,
    -- greatest() ignores NULLs in PostgreSQL, so guard rows without a target
    case
        when final_targets.final_target_value is not null
        then greatest(final_targets.final_target_value - with_data.cumulative, 0)
    end::bigint                                                                 as remaining_to_target,
    case
        when with_data.year < final_targets.final_target_year
        then ceil(greatest(final_targets.final_target_value - with_data.cumulative, 0)
                  / (final_targets.final_target_year - with_data.year))
    end::bigint                                                                 as required_per_year_to_target,
    with_data.target_reached_year::integer                                      as target_reached_year,
    with_data.is_restated::boolean                                              as is_restated,
    with_data.lineage_batch_ids::text[]                                         as lineage_batch_ids,
    with_data.updated_at::timestamptz                                           as updated_at
from with_data
left join final_targets
    on final_targets.scope = with_data.scope
    and final_targets.region_kato is not distinct from with_data.region_kato
left join coverage
    on coverage.year = with_data.year
left join {{ ref('dim_region') }} as regions
    on regions.region_kato = with_data.region_kato
