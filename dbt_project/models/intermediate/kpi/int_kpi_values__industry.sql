{#-
    KPI values of industry, per year, nationally and per region (commitment fulfilment
    also per enterprise):
      industry_commitment_fulfilment  trees planted / trees committed by enterprises with a
                                      commitment for the year, share; partial while the year's
                                      plantings (monthly) or commitments (annual) are not all loaded
      ams_installed_share             enterprises obliged in the year with an AMS installed by its
                                      end / enterprises obliged in the year, share
      ams_connected_share             ... connected to the ministry's platform by its end / obliged, share
                                      Obliged in year Y: is_ams_obliged, obliged since on or before
                                      31 December Y, and no legal deferral past Y (ams_deferred_to
                                      null or <= Y). The registry is read as it stood at the end of
                                      Y (dim_enterprise_history); years before the warehouse's
                                      first registry snapshot read that first snapshot. Partial
                                      until a registry snapshot after 31 December Y is loaded.
      telemetry_completeness          valid ('ok') readings of registered stacks / readings expected,
                                      share; expected = every stack and pollutant of the AMS
                                      registry (dim_ams_stack; silent stacks count) x one reading
                                      per 20-minute slot of the loaded telemetry window, from
                                      the stack's readings_required_from day on (a deferred
                                      enterprise's stacks from the deferral year)
      emission_limit_exceedances      valid readings above the stack's permitted concentration, count
      emission_exceedances_per_1000_readings
                                      exceedances x 1000 / readings received (any status): a rate
                                      that does not grow with monitoring coverage
      stationary_emissions_kt         annual stationary-source emissions, kilotonnes
    Telemetry years are complete when every day is covered by loaded intervals; annual
    emissions when the year's report batch is loaded (int_feed_year_coverage).
-#}
{%- set slot_seconds = 1200 -%}
with

current_registry as (
    -- each enterprise's registry entry in force now, with the batch it came from: the region of
    -- readings from a stack the AMS registry does not list, which the lineage must then name
    select enterprise_bin, region_kato, _batch_id
    from {{ ref('dim_enterprise_history') }}
    where is_current
),

coverage as (
    select * from {{ ref('int_feed_year_coverage') }}
),

fulfilment_coverage as (
    -- a fulfilment year is complete when its plantings and its commitments are all loaded
    select year, bool_and(is_complete) and count(*) = 2 as is_complete
    from coverage
    where dataset in ('industry__plantings', 'industry__commitments')
    group by year
),

-- industry_commitment_fulfilment -------------------------------------------------------
commitments as (
    select * from {{ ref('fct_commitments') }} where has_commitment
),

commitment_batches as (
    select scope, region_kato, enterprise_bin, year, array_agg(distinct batch_id order by batch_id) as batch_ids
    from (
        select 'enterprise' as scope, region_kato, enterprise_bin, year, batch_id
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
        case when grouping(enterprise_bin) = 0 then 'enterprise'
             when grouping(region_kato) = 0 then 'region'
             else 'national' end as scope,
        region_kato,
        enterprise_bin,
        year,
        sum(trees_planted)::numeric / nullif(sum(trees_committed), 0) as actual_value
    from commitments
    group by grouping sets ((year), (year, region_kato), (year, region_kato, enterprise_bin))
),

fulfilment_values as (
    select
        fulfilment.*,
        not coalesce(fulfilment_coverage.is_complete, false) as is_partial_year,
        commitment_batches.batch_ids
    from fulfilment
    left join fulfilment_coverage on fulfilment_coverage.year = fulfilment.year
    left join commitment_batches
        on commitment_batches.scope = fulfilment.scope
        and commitment_batches.year = fulfilment.year
        and coalesce(commitment_batches.region_kato, '') = coalesce(fulfilment.region_kato, '')
        and coalesce(commitment_batches.enterprise_bin, '') = coalesce(fulfilment.enterprise_bin, '')
),

-- AMS shares ---------------------------------------------------------------------------
registry_versions as (
    select history.*,
           row_number() over (partition by history.enterprise_bin order by history.registry_valid_from) as version_number,
           min(history.registry_valid_from) over () as first_snapshot_at
    from {{ ref('dim_enterprise_history') }} as history
),

registry_years as (
    select coverage.year, coverage.is_complete,
           make_timestamptz(coverage.year + 1, 1, 1, 0, 0, 0, 'UTC') as year_end
    from coverage
    where coverage.dataset = 'industry__enterprises'
      and coverage.year >= (select min(extract(year from ams_obliged_since))::integer
                            from registry_versions where is_ams_obliged)
),

registry_at_year_end as (
    -- the version in force at the end of the year; before the first registry snapshot the
    -- warehouse holds, the version that snapshot showed
    select registry_years.year, registry_years.is_complete, registry_versions.*
    from registry_years
    inner join registry_versions
        on (registry_versions.registry_valid_from <= registry_years.year_end
            and (registry_versions.registry_valid_to is null
                 or registry_versions.registry_valid_to > registry_years.year_end))
        or (registry_years.year_end < registry_versions.first_snapshot_at
            and registry_versions.version_number = 1
            and registry_versions.registry_valid_from = registry_versions.first_snapshot_at)
),

ams_status as (
    select
        year,
        is_complete,
        region_kato,
        _batch_id,
        is_ams_installed and ams_installed_at <= make_date(year, 12, 31) as installed,
        is_ams_connected and ams_connected_at <= make_date(year, 12, 31) as connected
    from registry_at_year_end
    where is_ams_obliged
      and coalesce(ams_obliged_since, make_date(year, 1, 1)) <= make_date(year, 12, 31)
      and (ams_deferred_to is null or ams_deferred_to <= year)
),

ams_totals as (
    select
        case when grouping(region_kato) = 0 then 'region' else 'national' end as scope,
        region_kato,
        year,
        not bool_and(is_complete) as is_partial_year,
        count(*) as obliged,
        count(*) filter (where installed) as installed,
        count(*) filter (where connected) as connected,
        array_agg(distinct _batch_id order by _batch_id) as batch_ids
    from ams_status
    group by grouping sets ((year), (year, region_kato))
),

ams_kpis as (
    select 'ams_installed_share' as kpi_code, scope, region_kato, null as enterprise_bin, year,
           installed::numeric / nullif(obliged, 0) as actual_value, is_partial_year, batch_ids
    from ams_totals
    union all
    select 'ams_connected_share', scope, region_kato, null, year, connected::numeric / nullif(obliged, 0),
           is_partial_year, batch_ids
    from ams_totals
),

-- telemetry ----------------------------------------------------------------------------
islands as (
    select window_start, window_end, batch_ids
    from {{ ref('int_activity__batch_windows') }}
    where dataset = 'industry__telemetry'
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

stack_registry as (
    -- every stack and pollutant that must report, silent ones included
    select * from {{ ref('dim_ams_stack') }}
),

expected as (
    -- readings fall on multiples of {{ slot_seconds }} s since the epoch; a registered stack
    -- and pollutant must report from its readings_required_from day (00:00 UTC) on
    select
        stack_registry.region_kato,
        island_years.year,
        sum(greatest(0,
            ceil(extract(epoch from island_years.year_window_end) / {{ slot_seconds }})
            - ceil(extract(epoch from greatest(island_years.year_window_start,
                                               stack_registry.readings_required_from::timestamp at time zone 'UTC'))
                   / {{ slot_seconds }})
        )) as expected_readings
    from stack_registry
    cross join island_years
    group by stack_registry.region_kato, island_years.year
),

received as (
    select
        coalesce(stack_registry.region_kato, current_registry.region_kato) as region_kato,
        readings.reading_year as year,
        count(*) as readings,
        count(*) filter (where readings.status = 'ok'
                           and readings.reading_at >= stack_registry.readings_required_from::timestamp at time zone 'UTC')
            as valid_expected_readings,
        count(*) filter (where readings.is_over_limit) as exceedances,
        array_agg(distinct current_registry._batch_id) filter (where stack_registry.stack_id is null)
            as region_fallback_batch_ids
    from readings
    left join stack_registry
        on stack_registry.stack_id = readings.stack_id
        and stack_registry.pollutant = readings.pollutant
    left join current_registry on current_registry.enterprise_bin = readings.enterprise_bin
    group by coalesce(stack_registry.region_kato, current_registry.region_kato), readings.reading_year
),

region_years as (
    select region_kato, year from expected
    union
    select region_kato, year from received
),

telemetry_totals as (
    select
        case when grouping(region_years.region_kato) = 0 then 'region' else 'national' end as scope,
        region_years.region_kato,
        region_years.year,
        sum(coalesce(received.readings, 0)) as readings,
        sum(coalesce(received.valid_expected_readings, 0)) as valid_readings,
        sum(coalesce(received.exceedances, 0)) as exceedances,
        sum(coalesce(expected.expected_readings, 0)) as expected_readings
    from region_years
    left join expected
        on expected.region_kato is not distinct from region_years.region_kato
        and expected.year = region_years.year
    left join received
        on received.region_kato is not distinct from region_years.region_kato
        and received.year = region_years.year
    group by grouping sets ((region_years.year), (region_years.year, region_years.region_kato))
),

telemetry_years as (
    select year, not is_complete as is_partial_year
    from coverage
    where dataset = 'industry__telemetry'
),

telemetry_batches as (
    -- the year's telemetry batches, the stack registry's (it sets what is expected) and the
    -- enterprise registry's that placed readings of unlisted stacks in a region
    select year, array_agg(distinct batch_id order by batch_id) as batch_ids
    from (
        select island_years.year, batch_id
        from island_years
        cross join lateral unnest(island_years.batch_ids) as batch_id
        union all
        select telemetry_year.year, stack_registry._batch_id
        from (select distinct year from island_years) as telemetry_year
        cross join stack_registry
        union all
        select received.year, batch_id
        from received
        cross join lateral unnest(received.region_fallback_batch_ids) as batch_id
    ) as used
    where batch_id is not null
    group by year
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
           telemetry_totals.exceedances::numeric,
           telemetry_years.is_partial_year, telemetry_batches.batch_ids
    from telemetry_totals
    join telemetry_years on telemetry_years.year = telemetry_totals.year
    join telemetry_batches on telemetry_batches.year = telemetry_totals.year
    union all
    select 'emission_exceedances_per_1000_readings', telemetry_totals.scope, telemetry_totals.region_kato,
           null, telemetry_totals.year,
           telemetry_totals.exceedances * 1000.0 / nullif(telemetry_totals.readings, 0),
           telemetry_years.is_partial_year, telemetry_batches.batch_ids
    from telemetry_totals
    join telemetry_years on telemetry_years.year = telemetry_totals.year
    join telemetry_batches on telemetry_batches.year = telemetry_totals.year
),

-- stationary_emissions_kt --------------------------------------------------------------
emission_kpis as (
    select
        'stationary_emissions_kt' as kpi_code,
        case when grouping(emissions.region_kato) = 0 then 'region' else 'national' end as scope,
        emissions.region_kato,
        null as enterprise_bin,
        emissions.year,
        sum(emissions.emissions_t) / 1000 as actual_value,
        not coalesce(bool_and(emission_coverage.is_complete), false) as is_partial_year,
        array_agg(distinct emissions._batch_id order by emissions._batch_id) as batch_ids
    from {{ ref('fct_emissions_annual') }} as emissions
    left join coverage as emission_coverage
        on emission_coverage.dataset = 'industry__emissions_annual'
        and emission_coverage.year = emissions.year
    group by grouping sets ((emissions.year), (emissions.year, emissions.region_kato))
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
