{#-
    KPI trees_planted_cumulative: trees planted since 2021 against the national target
    of 2 billion trees in the state forest fund by 2027 (seed concept_targets: the
    KPI's rows of kind 'official_target'; the target counts the state forest fund only).

    Grain: scope × region_kato × programme × year, years from var taza_kpi_start_year
    (2021) to the latest year with data. Scopes: 'national' (region_kato null) and
    'region' (every region of dim_region, zero-filled). Programme sets:
    'state_forest_fund' (what the 2 bn target counts) and 'all' (every reported programme:
    state forest fund + settlements + Taza campaign).

    The feed is complete through its latest reported month (as_of_month); the current
    year is partial: months_covered / last_period_month / is_year_complete say so.
-#}
{%- set kpi_code = 'trees_planted_cumulative' -%}
{%- set start_year = var('taza_kpi_start_year', 2021) | int -%}

with

plantings as (
    select
        region_kato,
        period_month,
        extract(year from period_month)::integer as year,
        programme,
        trees_planted,
        area_ha,
        report_count
    from {{ ref('fct_plantings') }}
    where period_month >= make_date({{ start_year }}, 1, 1)
),

coverage as (
    select max(period_month) as as_of_month
    from plantings
),

years as (
    select generate_series(
        {{ start_year }},
        extract(year from coverage.as_of_month)::integer
    )::integer as year
    from coverage
    where coverage.as_of_month is not null
),

programme_sets as (
    select 'state_forest_fund'::text as programme
    union all
    select 'all'::text
),

scopes as (
    select 'national'::text as scope, null::text as region_kato, 'Kazakhstan'::text as region_name_en
    union all
    select 'region'::text, region_kato::text, name_en::text
    from {{ ref('dim_region') }}
),

spine as (
    select scopes.scope, scopes.region_kato, scopes.region_name_en, years.year, programme_sets.programme
    from scopes
    cross join years
    cross join programme_sets
),

-- each planting row counts once in 'all' and once more in its own programme set
plantings_by_set as (
    select plantings.*, programme_sets.programme as programme_set
    from plantings
    inner join programme_sets
        on programme_sets.programme = 'all'
        or programme_sets.programme = plantings.programme
),

yearly as (
    select
        'national'::text as scope,
        null::text as region_kato,
        year,
        programme_set as programme,
        sum(trees_planted) as trees_planted_year,
        sum(area_ha) as area_ha_year,
        sum(report_count) as report_count_year
    from plantings_by_set
    group by year, programme_set

    union all

    select
        'region'::text as scope,
        region_kato,
        year,
        programme_set as programme,
        sum(trees_planted),
        sum(area_ha),
        sum(report_count)
    from plantings_by_set
    group by region_kato, year, programme_set
),

filled as (
    select
        spine.scope,
        spine.region_kato,
        spine.region_name_en,
        spine.year,
        spine.programme,
        coalesce(yearly.trees_planted_year, 0) as trees_planted_year,
        coalesce(yearly.area_ha_year, 0) as area_ha_year,
        coalesce(yearly.report_count_year, 0) as report_count_year
    from spine
    left join yearly
        on yearly.scope = spine.scope
        and coalesce(yearly.region_kato, '') = coalesce(spine.region_kato, '')
        and yearly.year = spine.year
        and yearly.programme = spine.programme
),

cumulated as (
    select
        filled.*,
        sum(trees_planted_year) over scope_window as trees_planted_cumulative,
        sum(area_ha_year) over scope_window as area_ha_cumulative
    from filled
    window scope_window as (
        partition by scope, region_kato, programme
        order by year
        rows between unbounded preceding and current row
    )
),

targets as (
    select
        scope,
        region_kato,
        'state_forest_fund'::text as programme,
        year as target_year,
        target_value
    from {{ ref('concept_targets') }}
    where kpi_code = '{{ kpi_code }}'
      and target_kind = 'official_target'
),

kpi_target_year as (
    -- the KPI's headline deadline (national target), shown on every row
    select max(target_year) as target_year
    from targets
    where scope = 'national'
),

final as (
    select
        '{{ kpi_code }}'::text                                     as kpi_code,
        cumulated.scope::text                                      as scope,
        cumulated.region_kato::text                                as region_kato,
        cumulated.region_name_en::text                             as region_name_en,
        cumulated.year::integer                                    as year,
        cumulated.programme::text                                  as programme,
        cumulated.trees_planted_year::bigint                       as trees_planted_year,
        cumulated.trees_planted_cumulative::bigint                 as trees_planted_cumulative,
        cumulated.area_ha_year::numeric(14, 2)                     as area_ha_year,
        cumulated.area_ha_cumulative::numeric(16, 2)               as area_ha_cumulative,
        cumulated.report_count_year::bigint                        as report_count_year,
        targets.target_value::bigint                               as target_value,
        coalesce(targets.target_year, kpi_target_year.target_year)::integer
                                                                   as target_year,
        round(cumulated.trees_planted_cumulative / nullif(targets.target_value, 0), 6)::numeric(12, 6)
                                                                   as share_of_target,
        -- greatest() ignores NULLs in PostgreSQL, so guard rows without a target
        case
            when targets.target_value is not null
            then greatest(targets.target_value - cumulated.trees_planted_cumulative, 0)
        end::bigint                                                as remaining_to_target,
        case
            when targets.target_value is not null and cumulated.year < targets.target_year
            then ceil(greatest(targets.target_value - cumulated.trees_planted_cumulative, 0)
                      / (targets.target_year - cumulated.year))
        end::bigint                                                as required_per_year_to_target,
        case
            when cumulated.year < extract(year from coverage.as_of_month) then 12
            else extract(month from coverage.as_of_month)
        end::integer                                               as months_covered,
        least(make_date(cumulated.year, 12, 1), coverage.as_of_month)::date
                                                                   as last_period_month,
        (cumulated.year < extract(year from coverage.as_of_month)
         or extract(month from coverage.as_of_month) = 12)::boolean
                                                                   as is_year_complete,
        current_timestamp::timestamptz                             as updated_at
    from cumulated
    cross join coverage
    cross join kpi_target_year
    left join targets
        on targets.scope = cumulated.scope
        and coalesce(targets.region_kato, '') = coalesce(cumulated.region_kato, '')
        and targets.programme = cumulated.programme
)

select * from final
