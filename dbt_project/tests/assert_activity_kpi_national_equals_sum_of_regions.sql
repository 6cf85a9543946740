-- Additive activity and industry KPIs: every national value equals the sum of its
-- regional values (no record lost to an unresolved region code, none counted twice).
-- Returns the (kpi_code, year) rows that disagree.
with additive as (
    select kpi_code, scope, year, actual_value from {{ ref('int_kpi_values__campaign') }}
    where kpi_code in ('campaign_participants', 'waste_collected_t')
    union all
    select kpi_code, scope, year, actual_value from {{ ref('int_kpi_values__dumps') }}
    where kpi_code = 'dumps_detected'
    union all
    select kpi_code, scope, year, actual_value from {{ ref('int_kpi_values__industry') }}
    where kpi_code in ('stationary_emissions_kt', 'emission_limit_exceedances')
),

national as (
    select kpi_code, year, actual_value from additive where scope = 'national'
),

regions as (
    select kpi_code, year, sum(actual_value) as actual_value from additive where scope = 'region'
    group by kpi_code, year
)

select national.kpi_code, national.year, national.actual_value, regions.actual_value as regions_value
from national
full outer join regions using (kpi_code, year)
where national.actual_value is distinct from regions.actual_value
