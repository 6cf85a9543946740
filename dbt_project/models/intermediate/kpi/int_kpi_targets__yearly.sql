{#-
    The target of every KPI path (kpi_code, variant, scope, region_kato) for each year of
    the scorecard, from seed concept_targets:
      - a year with a seed row takes its value;
      - a year between an earlier row (a baseline, target or milestone) and a later target
        or milestone is linearly interpolated between the two, target_is_interpolated;
      - a year after the path's last row keeps that row's value (a target holds once due);
      - a year before the path's first row has no target.
    direction, kind and source note come from the row that governs the year: its own row,
    else the later row it is interpolated towards, else the earlier row it keeps.
-#}
with

targets as (
    select kpi_code, variant, scope, region_kato, year, target_value, direction, target_kind, source_note
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
        own.target_kind as own_kind, own.source_note as own_note,
        earlier.year as earlier_year, earlier.target_value as earlier_value,
        earlier.direction as earlier_direction, earlier.target_kind as earlier_kind,
        earlier.source_note as earlier_note,
        later.year as later_year, later.target_value as later_value,
        later.direction as later_direction, later.target_kind as later_kind,
        later.source_note as later_note
    from grid
    left join targets as own
        on own.kpi_code = grid.kpi_code and own.variant = grid.variant and own.scope = grid.scope
        and own.region_kato is not distinct from grid.region_kato and own.year = grid.year
    left join lateral (
        select t.year, t.target_value, t.direction, t.target_kind, t.source_note
        from targets as t
        where t.kpi_code = grid.kpi_code and t.variant = grid.variant and t.scope = grid.scope
          and t.region_kato is not distinct from grid.region_kato and t.year < grid.year
        order by t.year desc
        limit 1
    ) as earlier on true
    left join lateral (
        select t.year, t.target_value, t.direction, t.target_kind, t.source_note
        from targets as t
        where t.kpi_code = grid.kpi_code and t.variant = grid.variant and t.scope = grid.scope
          and t.region_kato is not distinct from grid.region_kato and t.year > grid.year
          and t.target_kind in ('target', 'milestone')
        order by t.year
        limit 1
    ) as later on true
)

select
    kpi_code::text                                                           as kpi_code,
    variant::text                                                            as variant,
    scope::text                                                              as scope,
    region_kato::text                                                        as region_kato,
    year::integer                                                            as year,
    round(case
        when own_value is not null then own_value
        when earlier_year is not null and later_year is not null
            then earlier_value + (later_value - earlier_value) * (year - earlier_year)
                                 / (later_year - earlier_year)::numeric
        else earlier_value
    end, 6)::numeric                                                         as target_value,
    (own_value is null and earlier_year is not null and later_year is not null)::boolean
                                                                             as target_is_interpolated,
    case
        when own_value is not null then own_direction
        when earlier_year is not null and later_year is not null then later_direction
        else earlier_direction
    end::text                                                                as target_direction,
    case
        when own_value is not null then own_kind
        when earlier_year is not null and later_year is not null then later_kind
        else earlier_kind
    end::text                                                                as target_kind,
    case
        when own_value is not null then own_note
        when earlier_year is not null and later_year is not null then later_note
        else earlier_note
    end::text                                                                as target_source_note
from resolved
where own_value is not null or earlier_year is not null
