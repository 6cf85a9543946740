{#-
    KPI values of industry, per year, nationally and per region (commitment fulfilment
    also per enterprise):
      industry_commitment_fulfilment  trees planted / trees committed by enterprises with a
                                      commitment for the year, share
      ams_installed_share             AMS-obliged enterprises with an AMS installed by the end
                                      of the year / obliged enterprises, share
      ams_connected_share             ... connected to the ministry's platform / obliged, share
      telemetry_completeness          valid ('ok') AMS readings received / readings expected, share;
                                      expected = monitored stacks x pollutants x one reading per
                                      20-minute slot, over the loaded telemetry window from each
                                      enterprise's connection day on
      emission_limit_exceedances      valid readings above the stack's permitted concentration, count
      stationary_emissions_kt         annual stationary-source emissions, kilotonnes
    AMS shares are computed from the current registry's dates, as of the end of each year
    up to the registry's snapshot date (that year partial until 31 December).
-#}
{%- set slot_seconds = 1200 -%}
with

enterprises as (
    select * from {{ ref('dim_enterprise') }}
),

current_batches as (
    select * from {{ ref('int_activity__current_batches') }}
),

plantings_coverage as (
    select year, months_loaded
    from {{ ref('int_activity__month_coverage') }}
    where dataset = 'industry__plantings'
),

-- industry_commitment_fulfilment -------------------------------------------------------
commitments as (
    select * from {{ ref('fct_commitments') }} where has_commitment
),

commitment_batches as (
    select scope, region_kato, enterprise_bin, year, array_agg(distinct batch_id order by batch_id) as batch_ids
    from (
        select 'enterprise' as scope, region_kato, bin as enterprise_bin, year, batch_id
        from commitments cross join lateral unnest(lineage_batch_ids) as batch_id
        union all
        select 'region', region_kato, null, year, batch_id
        from commitments cross join lateral unnest(lineage_batch_ids) as batch_id
        union all
        select 'national', null, null, year, batch_id
        from commitments cross join lateral unnest(lineage_batch_ids) as batch_id
    ) as scoped
    group by scope, region_kato, enterprise_bin, year
),

fulfilment as (
    select
        'industry_commitment_fulfilment' as kpi_code,
        case when grouping(bin) = 0 then 'enterprise'
             when grouping(region_kato) = 0 then 'region'
             else 'national' end as scope,
        region_kato,
        bin as enterprise_bin,
        year,
        sum(trees_planted)::numeric / nullif(sum(trees_committed), 0) as actual_value
    from commitments
    group by grouping sets ((year), (year, region_kato), (year, region_kato, bin))
),

fulfilment_values as (
    select
        fulfilment.*,
        coalesce(plantings_coverage.months_loaded, 0) < 12 as is_partial_year,
        commitment_batches.batch_ids
    from fulfilment
    left join plantings_coverage on plantings_coverage.year = fulfilment.year
    left join commitment_batches
        on commitment_batches.scope = fulfilment.scope
        and commitment_batches.year = fulfilment.year
        and coalesce(commitment_batches.region_kato, '') = coalesce(fulfilment.region_kato, '')
        and coalesce(commitment_batches.enterprise_bin, '') = coalesce(fulfilment.enterprise_bin, '')
),

-- AMS shares ---------------------------------------------------------------------------
registry as (
    -- the snapshot dim_enterprise reflects: the newest current registry batch
    select batch_id, interval_end::date as as_of_date
    from current_batches
    where dataset = 'industry__enterprises'
    order by loaded_at desc, batch_id desc
    limit 1
),

ams_years as (
    select generate_series(
        (select extract(year from min(ams_obliged_since))::integer from enterprises where ams_obliged),
        (select extract(year from as_of_date - 1)::integer from registry)
    )::integer as year
),

ams_status as (
    select
        ams_years.year,
        enterprises.region_kato,
        enterprises.ams_installed and enterprises.ams_installed_at <= make_date(ams_years.year, 12, 31) as installed,
        enterprises.ams_connected and enterprises.ams_connected_at <= make_date(ams_years.year, 12, 31) as connected
    from ams_years
    join enterprises
        on enterprises.ams_obliged
        and coalesce(enterprises.ams_obliged_since, make_date(ams_years.year, 1, 1)) <= make_date(ams_years.year, 12, 31)
),

ams_totals as (
    select
        case when grouping(region_kato) = 0 then 'region' else 'national' end as scope,
        region_kato,
        year,
        count(*) as obliged,
        count(*) filter (where installed) as installed,
        count(*) filter (where connected) as connected
    from ams_status
    group by grouping sets ((year), (year, region_kato))
),

ams_values as (
    select 'ams_installed_share' as kpi_code, scope, region_kato, null as enterprise_bin, year,
           installed::numeric / nullif(obliged, 0) as actual_value
    from ams_totals
    union all
    select 'ams_connected_share', scope, region_kato, null, year, connected::numeric / nullif(obliged, 0)
    from ams_totals
),

ams_kpis as (
    select ams_values.*,
           make_date(ams_values.year + 1, 1, 1) > registry.as_of_date as is_partial_year,
           array[registry.batch_id] as batch_ids
    from ams_values
    cross join registry
),

-- telemetry ----------------------------------------------------------------------------
telemetry_windows as (
    -- the loaded telemetry window: the current batches' intervals merged where they touch
    select interval_start, interval_end, batch_id,
           sum(opens_island) over (order by interval_start, interval_end) as island
    from (
        select interval_start, interval_end, batch_id,
               case when interval_start <= max(interval_end) over (
                        order by interval_start, interval_end
                        rows between unbounded preceding and 1 preceding)
                    then 0 else 1 end as opens_island
        from current_batches
        where dataset = 'industry__telemetry'
    ) as ordered
),

islands as (
    select island, min(interval_start) as window_start, max(interval_end) as window_end,
           array_agg(batch_id order by batch_id) as batch_ids
    from telemetry_windows
    group by island
),

island_years as (
    select
        islands.*,
        year,
        greatest(islands.window_start, make_timestamptz(year, 1, 1, 0, 0, 0, 'UTC')) as year_window_start,
        least(islands.window_end, make_timestamptz(year + 1, 1, 1, 0, 0, 0, 'UTC')) as year_window_end
    from islands
    cross join lateral generate_series(
        extract(year from islands.window_start at time zone 'UTC')::integer,
        extract(year from (islands.window_end - interval '1 microsecond') at time zone 'UTC')::integer
    ) as year
),

readings as (
    select * from {{ ref('fct_emission_readings') }}
),

stacks as (
    select distinct readings.bin, readings.stack_id, enterprises.region_kato, enterprises.ams_connected_at
    from readings
    left join enterprises on enterprises.bin = readings.bin
),

pollutants as (
    select count(distinct pollutant) as pollutant_count from readings
),

expected as (
    -- readings fall on multiples of {{ slot_seconds }} s since the epoch; a stack reports
    -- from its enterprise's connection day (00:00 UTC) on
    select
        stacks.region_kato,
        island_years.year,
        sum(greatest(0,
            ceil(extract(epoch from island_years.year_window_end) / {{ slot_seconds }})
            - ceil(extract(epoch from greatest(island_years.year_window_start,
                                               coalesce(stacks.ams_connected_at::timestamp at time zone 'UTC',
                                                        island_years.year_window_start))) / {{ slot_seconds }})
        )) * (select pollutant_count from pollutants) as expected_readings
    from stacks
    cross join island_years
    group by stacks.region_kato, island_years.year
),

received as (
    select
        enterprises.region_kato,
        readings.reading_year as year,
        count(*) filter (where readings.status = 'ok') as valid_readings,
        count(*) filter (where readings.exceeds_limit) as exceedances
    from readings
    left join enterprises on enterprises.bin = readings.bin
    group by enterprises.region_kato, readings.reading_year
),

telemetry_totals as (
    select
        case when grouping(expected.region_kato) = 0 then 'region' else 'national' end as scope,
        expected.region_kato,
        expected.year,
        sum(coalesce(received.valid_readings, 0)) as valid_readings,
        sum(coalesce(received.exceedances, 0)) as exceedances,
        sum(expected.expected_readings) as expected_readings
    from expected
    left join received
        on received.region_kato is not distinct from expected.region_kato
        and received.year = expected.year
    group by grouping sets ((expected.year), (expected.year, expected.region_kato))
),

telemetry_years as (
    select
        year,
        sum(extract(epoch from year_window_end - year_window_start))
            < extract(epoch from make_timestamptz(year + 1, 1, 1, 0, 0, 0, 'UTC')
                                 - make_timestamptz(year, 1, 1, 0, 0, 0, 'UTC')) as is_partial_year
    from island_years
    group by year
),

telemetry_batches as (
    select island_years.year, array_agg(distinct batch_id order by batch_id) as batch_ids
    from island_years
    cross join lateral unnest(island_years.batch_ids) as batch_id
    group by island_years.year
),

telemetry_kpis as (
    select 'telemetry_completeness' as kpi_code, telemetry_totals.scope, telemetry_totals.region_kato,
           null as enterprise_bin, telemetry_totals.year,
           telemetry_totals.valid_readings::numeric / nullif(telemetry_totals.expected_readings, 0) as actual_value,
           telemetry_years.is_partial_year, telemetry_batches.batch_ids
    from telemetry_totals
    join telemetry_years on telemetry_years.year = telemetry_totals.year
    join telemetry_batches on telemetry_batches.year = telemetry_totals.year
    union all
    select 'emission_limit_exceedances', telemetry_totals.scope, telemetry_totals.region_kato,
           null, telemetry_totals.year,
           case when telemetry_totals.expected_readings > 0 then telemetry_totals.exceedances::numeric end,
           telemetry_years.is_partial_year, telemetry_batches.batch_ids
    from telemetry_totals
    join telemetry_years on telemetry_years.year = telemetry_totals.year
    join telemetry_batches on telemetry_batches.year = telemetry_totals.year
),

-- stationary_emissions_kt --------------------------------------------------------------
emission_kpis as (
    select
        'stationary_emissions_kt' as kpi_code,
        case when grouping(region_kato) = 0 then 'region' else 'national' end as scope,
        region_kato,
        null as enterprise_bin,
        year,
        sum(emissions_t) / 1000 as actual_value,
        false as is_partial_year,
        array_agg(distinct _batch_id order by _batch_id) as batch_ids
    from {{ ref('fct_emissions_annual') }}
    group by grouping sets ((year), (year, region_kato))
),

kpi_values as (
    select kpi_code, scope, region_kato, enterprise_bin, year, actual_value, is_partial_year, batch_ids
    from fulfilment_values
    union all
    select kpi_code, scope, region_kato, enterprise_bin, year, actual_value, is_partial_year, batch_ids
    from ams_kpis
    union all
    select * from telemetry_kpis
    union all
    select * from emission_kpis
)

select
    kpi_code::text              as kpi_code,
    'total'::text               as variant,
    scope::text                 as scope,
    region_kato::text           as region_kato,
    enterprise_bin::text        as enterprise_bin,
    year::integer               as year,
    actual_value::numeric(20, 6) as actual_value,
    is_partial_year::boolean    as is_partial_year,
    batch_ids::text[]           as lineage_batch_ids
from kpi_values
where actual_value is not null
