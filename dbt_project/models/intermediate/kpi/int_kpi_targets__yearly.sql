{#-
    The target of every KPI path (kpi_code, variant, scope, region_kato) for each year of
    the scorecard, from seed concept_targets, each year with its kind and source:
      - a year with a seed row takes its value and kind (official_target, official_plan,
        official_baseline, estimate);
      - a year between an earlier row and a later non-baseline row is linearly
        interpolated between the two: kind interpolated_between_official_points when both
        ends are official, else estimate; its source names both ends;
      - a year after the path's last target or plan row keeps that row (a target holds
        once due); a baseline alone holds nothing;
      - a year before the path's first row has no target.
    target_is_official says whether the status may judge the year against the target:
    official targets and plans and the years interpolated between official points. A
    baseline is where a path starts, not a target; an estimate is no official target.
-#}
with

targets as (
    select kpi_code, variant, scope, region_kato, year, target_value, direction, target_kind,
           source_note, coalesce(source_url, '') as source_url
    from {{ ref('concept_targets') }}
),

paths as (
    select distinct kpi_code, variant, scope, region_kato from targets
),

grid as (
    select paths.*, year::integer as year
    from paths
    cross join generate_series({{ var('taza_kpi_start_year') }}, {{ var('taza_kpi_end_year') }}) as year
),

resolved as (
    select
        grid.*,
        own.target_value as own_value, own.direction as own_direction,
        own.target_kind as own_kind, own.source_note as own_note, own.source_url as own_url,
        earlier.year as earlier_year, earlier.target_value as earlier_value,
        earlier.direction as earlier_direction, earlier.target_kind as earlier_kind,
        earlier.source_note as earlier_note, earlier.source_url as earlier_url,
        later.year as later_year, later.target_value as later_value,
        later.direction as later_direction, later.target_kind as later_kind,
        later.source_note as later_note, later.source_url as later_url
    from grid
    left join targets as own
        on own.kpi_code = grid.kpi_code and own.variant = grid.variant and own.scope = grid.scope
        and own.region_kato is not distinct from grid.region_kato and own.year = grid.year
    left join lateral (
        select t.year, t.target_value, t.direction, t.target_kind, t.source_note, t.source_url
        from targets as t
        where t.kpi_code = grid.kpi_code and t.variant = grid.variant and t.scope = grid.scope
          and t.region_kato is not distinct from grid.region_kato and t.year < grid.year
        order by t.year desc
        limit 1
    ) as earlier on true
    left join lateral (
        select t.year, t.target_value, t.direction, t.target_kind, t.source_note, t.source_url
        from targets as t
        where t.kpi_code = grid.kpi_code and t.variant = grid.variant and t.scope = grid.scope
          and t.region_kato is not distinct from grid.region_kato and t.year > grid.year
          and t.target_kind <> 'official_baseline'
        order by t.year
        limit 1
    ) as later on true
),

governed as (
    select
        resolved.*,
        case
            when own_value is not null then 'own'
            when earlier_year is not null and later_year is not null then 'interpolated'
            when earlier_kind <> 'official_baseline' then 'held'
        end as rule
    from resolved
),

yearly as (
    select
        kpi_code, variant, scope, region_kato, year,
        case rule
            when 'own' then own_value
            when 'interpolated' then earlier_value + (later_value - earlier_value) * (year - earlier_year)
                                                     / (later_year - earlier_year)::numeric
            else earlier_value
        end as target_value,
        rule = 'interpolated' as target_is_interpolated,
        case rule when 'own' then own_direction when 'interpolated' then later_direction
                  else earlier_direction end as target_direction,
        case rule
            when 'own' then own_kind
            when 'interpolated' then
                case when earlier_kind like 'official%' and later_kind like 'official%'
                     then 'interpolated_between_official_points' else 'estimate' end
            else earlier_kind
        end as target_kind,
        case rule
            when 'own' then own_note
            when 'interpolated' then concat('interpolated between ', earlier_year, ' ', earlier_note,
                                            ' and ', later_year, ' ', later_note)
            else concat('held since ', earlier_year, ': ', earlier_note)
        end as target_source_note,
        case rule
            when 'own' then own_url
            when 'interpolated' then concat_ws(' ', nullif(earlier_url, ''), nullif(later_url, ''))
            else earlier_url
        end as target_source_url
    from governed
    where rule is not null
)

select
    kpi_code::text                                                          as kpi_code,
    variant::text                                                           as variant,
    scope::text                                                             as scope,
    region_kato::text                                                       as region_kato,
    year::integer                                                           as year,
    round(target_value, 6)::numeric                                         as target_value,
    target_is_interpolated::boolean                                         as target_is_interpolated,
    target_direction::text                                                  as target_direction,
    target_kind::text                                                       as target_kind,
    (target_kind in ('official_target', 'official_plan', 'interpolated_between_official_points'))::boolean
                                                                            as target_is_official,
    target_source_note::text                                                as target_source_note,
    nullif(target_source_url, '')::text                                     as target_source_url
from yearly
