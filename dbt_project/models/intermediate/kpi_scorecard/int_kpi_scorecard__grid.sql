{#-
    The scorecard's rows: every KPI series of int_kpi_values (kpi_code, variant, scope,
    region_kato, enterprise_bin) for every year of the programme and Concept period, with
    the year's value where there is one and the KPI's properties from seed kpi_catalogue
    (accumulation, measure kind, partial-year rule, projection bound). A year without a
    value counts as partial: it is not complete in the data.
-#}
{%- set start_year = var('taza_kpi_start_year') -%}
{%- set end_year = var('taza_kpi_end_year') -%}
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
)

select
    md5(concat_ws('|', grid.kpi_code, grid.variant, grid.scope, coalesce(grid.region_kato, ''),
                  coalesce(grid.enterprise_bin, ''), grid.year))::text     as scorecard_key,
    grid.kpi_code::text                                                     as kpi_code,
    grid.variant::text                                                      as variant,
    grid.scope::text                                                        as scope,
    grid.region_kato::text                                                  as region_kato,
    grid.enterprise_bin::text                                               as enterprise_bin,
    grid.year::integer                                                      as year,
    kpi_values.actual_value::numeric                                        as actual_value,
    coalesce(kpi_values.is_partial_year, kpi_values.actual_value is null)::boolean
                                                                            as is_partial_year,
    coalesce(kpi_values.lineage_batch_ids, '{}')::text[]                    as lineage_batch_ids,
    catalogue.kpi_name::text                                                as kpi_name,
    catalogue.unit::text                                                    as unit,
    catalogue.direction::text                                               as direction,
    catalogue.accumulation::text                                            as accumulation,
    catalogue.measure_kind::text                                            as measure_kind,
    catalogue.partial_year_rule::text                                       as partial_year_rule,
    catalogue.projection_bound_factor::numeric                              as projection_bound_factor
from grid
left join kpi_values
    on kpi_values.kpi_code = grid.kpi_code
    and kpi_values.variant = grid.variant
    and kpi_values.scope = grid.scope
    and kpi_values.region_kato is not distinct from grid.region_kato
    and kpi_values.enterprise_bin is not distinct from grid.enterprise_bin
    and kpi_values.year = grid.year
left join {{ ref('kpi_catalogue') }} as catalogue
    on catalogue.kpi_code = grid.kpi_code
