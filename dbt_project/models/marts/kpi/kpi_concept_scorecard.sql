{#-
    The Concept "Taza Qazaqstan" scorecard: every KPI (int_kpi_values) for every year of
    the programme and Concept period, nationally, per region and per enterprise where the
    KPI has such values, against its yearly target (int_kpi_targets__yearly).

    projected_value  for a year after the series' last complete year (partial, future, or
                     not reported yet): the least-squares line through the last
                     `taza_projection_years` complete years (one complete year: flat);
                     shares are kept within 0..1, other values at or above 0.
    status           kpi_status() of the status_basis value against the target, with
                     `taza_status_tolerance`. status_basis: 'actual' for a complete year,
                     else 'projected'; a series with no complete year yet has no projection,
                     and then its year-to-date value ('year_to_date') stands in where it
                     already says something: for shares and ratios (they do not grow with
                     the year), and for counts that already reach an at-least target or
                     pass an at-most one (they only grow).
    target_reached_year  cumulative trees KPIs only: the first complete year whose actual
                     reaches the KPI's final target, else the first year the trend line
                     reaches it (may lie after 2029); null when the trend never does.
-#}
{%- set start_year = var('taza_kpi_start_year') -%}
{%- set end_year = var('taza_kpi_end_year') -%}
{%- set cumulative_kpis = ['trees_planted_cumulative', 'trees_surviving_cumulative'] -%}
with

kpi_values as (
    select * from {{ ref('int_kpi_values') }}
    where year between {{ start_year }} and {{ end_year }}
),

series as (
    select distinct kpi_code, variant, scope, region_kato, enterprise_bin from kpi_values
),

grid as (
    select series.*, year::integer as year
    from series
    cross join generate_series({{ start_year }}, {{ end_year }}) as year
),

complete_values as (
    select * from kpi_values where not is_partial_year and actual_value is not null
),

last_complete as (
    select kpi_code, variant, scope, region_kato, enterprise_bin, max(year) as last_complete_year
    from complete_values
    group by kpi_code, variant, scope, region_kato, enterprise_bin
),

trend as (
    select
        complete_values.kpi_code, complete_values.variant, complete_values.scope,
        complete_values.region_kato, complete_values.enterprise_bin,
        last_complete.last_complete_year,
        count(*) as fitted_years,
        regr_slope(complete_values.actual_value, complete_values.year)::numeric as slope,
        regr_intercept(complete_values.actual_value, complete_values.year)::numeric as intercept,
        max(complete_values.actual_value) filter (where complete_values.year = last_complete.last_complete_year)
            as last_complete_value
    from complete_values
    inner join last_complete
        on last_complete.kpi_code = complete_values.kpi_code
        and last_complete.variant = complete_values.variant
        and last_complete.scope = complete_values.scope
        and last_complete.region_kato is not distinct from complete_values.region_kato
        and last_complete.enterprise_bin is not distinct from complete_values.enterprise_bin
    where complete_values.year > last_complete.last_complete_year - {{ var('taza_projection_years') }}
    group by complete_values.kpi_code, complete_values.variant, complete_values.scope,
             complete_values.region_kato, complete_values.enterprise_bin, last_complete.last_complete_year
),

catalogue as (
    select kpi_code, kpi_name, unit, direction from {{ ref('kpi_catalogue') }}
),

rows_with_values as (
    select
        grid.*,
        kpi_values.actual_value,
        kpi_values.is_partial_year,
        kpi_values.lineage_batch_ids,
        trend.last_complete_year,
        trend.fitted_years,
        trend.slope,
        trend.intercept,
        catalogue.kpi_name,
        catalogue.unit,
        catalogue.direction,
        target.target_value,
        target.target_is_interpolated,
        target.target_direction,
        case
            when trend.last_complete_year is null or grid.year <= trend.last_complete_year then null
            when trend.fitted_years = 1 then trend.last_complete_value
            else trend.intercept + trend.slope * grid.year
        end as raw_projection
    from grid
    left join kpi_values
        on kpi_values.kpi_code = grid.kpi_code
        and kpi_values.variant = grid.variant
        and kpi_values.scope = grid.scope
        and kpi_values.region_kato is not distinct from grid.region_kato
        and kpi_values.enterprise_bin is not distinct from grid.enterprise_bin
        and kpi_values.year = grid.year
    left join trend
        on trend.kpi_code = grid.kpi_code
        and trend.variant = grid.variant
        and trend.scope = grid.scope
        and trend.region_kato is not distinct from grid.region_kato
        and trend.enterprise_bin is not distinct from grid.enterprise_bin
    left join catalogue
        on catalogue.kpi_code = grid.kpi_code
    left join lateral (
        -- a region-specific target wins over one for the whole scope
        select targets.target_value, targets.target_is_interpolated, targets.target_direction
        from {{ ref('int_kpi_targets__yearly') }} as targets
        where targets.kpi_code = grid.kpi_code
          and targets.variant = grid.variant
          and targets.scope = grid.scope
          and targets.year = grid.year
          and (targets.region_kato = grid.region_kato or targets.region_kato is null)
        order by targets.region_kato nulls last
        limit 1
    ) as target on true
),

projected as (
    select
        rows_with_values.*,
        case
            when raw_projection is null then null
            when unit = 'share' then least(greatest(raw_projection, 0), 1)
            else greatest(raw_projection, 0)
        end as projected_value
    from rows_with_values
),

with_basis as (
    select
        projected.*,
        case
            when target_value is null then null
            when is_partial_year = false and actual_value is not null then 'actual'
            when projected_value is not null then 'projected'
            when actual_value is null or last_complete_year is not null then null
            when unit in ('share', 'ratio') then 'year_to_date'
            when target_direction in ('increase', 'at_least') and actual_value >= target_value then 'year_to_date'
            when target_direction in ('decrease', 'at_most') and actual_value > target_value then 'year_to_date'
        end as status_basis
    from projected
),

final_targets as (
    -- the cumulative KPIs' final target (the last year of kind 'target') per path
    select distinct on (kpi_code, variant, scope, region_kato)
        kpi_code, variant, scope, region_kato, target_value
    from {{ ref('concept_targets') }}
    where target_kind = 'target'
      and kpi_code in ({{ "'" ~ cumulative_kpis | join("', '") ~ "'" }})
    order by kpi_code, variant, scope, region_kato, year desc
),

reached as (
    select
        projected.kpi_code, projected.variant, projected.scope, projected.region_kato, projected.enterprise_bin,
        coalesce(
            min(projected.year) filter (where not projected.is_partial_year
                                        and projected.actual_value >= final_targets.target_value),
            case
                when max(projected.slope) > 0
                then greatest(ceil((max(final_targets.target_value) - max(projected.intercept)) / max(projected.slope)),
                              max(projected.last_complete_year) + 1)
            end
        )::integer as target_reached_year
    from projected
    inner join final_targets
        on final_targets.kpi_code = projected.kpi_code
        and final_targets.variant = projected.variant
        and final_targets.scope = projected.scope
        and final_targets.region_kato is not distinct from projected.region_kato
    group by projected.kpi_code, projected.variant, projected.scope, projected.region_kato, projected.enterprise_bin
),

final as (
    select
        md5(concat_ws('|', projected.kpi_code, projected.variant, projected.scope,
                      coalesce(projected.region_kato, ''), coalesce(projected.enterprise_bin, ''),
                      projected.year))::text                                  as scorecard_key,
        projected.kpi_code::text                                              as kpi_code,
        projected.kpi_name::text                                              as kpi_name,
        projected.variant::text                                               as variant,
        projected.scope::text                                                 as scope,
        projected.region_kato::text                                           as region_kato,
        projected.enterprise_bin::text                                        as enterprise_bin,
        projected.year::integer                                               as year,
        projected.actual_value::numeric                                       as actual_value,
        coalesce(projected.is_partial_year, projected.actual_value is null)::boolean
                                                                              as is_partial_year,
        round(projected.projected_value, 6)::numeric                          as projected_value,
        projected.target_value::numeric                                       as target_value,
        coalesce(projected.target_is_interpolated, false)::boolean            as target_is_interpolated,
        projected.unit::text                                                  as unit,
        projected.direction::text                                             as direction,
        {{ kpi_status(
            "case projected.status_basis when 'projected' then projected.projected_value
                                         when 'actual' then projected.actual_value
                                         when 'year_to_date' then projected.actual_value end",
            "projected.target_value",
            "projected.target_direction in ('increase', 'at_least')",
            var('taza_status_tolerance')
        ) }}::text                                                            as status,
        projected.status_basis::text                                          as status_basis,
        reached.target_reached_year::integer                                  as target_reached_year,
        coalesce(projected.lineage_batch_ids, '{}')::text[]                   as lineage_batch_ids,
        current_timestamp::timestamptz                                        as updated_at
    from with_basis as projected
    left join reached
        on reached.kpi_code = projected.kpi_code
        and reached.variant = projected.variant
        and reached.scope = projected.scope
        and reached.region_kato is not distinct from projected.region_kato
        and reached.enterprise_bin is not distinct from projected.enterprise_bin
)

select * from final
