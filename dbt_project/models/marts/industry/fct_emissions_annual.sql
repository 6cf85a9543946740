{#-
    Annual stationary-source emissions per enterprise, year and pollutant, from the
    enterprises' reports. Grain: (enterprise_bin, year, pollutant).
-#}
select
    report_id::text                                     as emission_report_id,
    enterprise_bin::text                                as enterprise_bin,
    region_kato::text                                   as region_kato,
    year::integer                                       as year,
    pollutant::text                                     as pollutant,
    emissions_t::numeric(14, 1)                         as emissions_t,
    (emissions_t / 1000)::numeric(14, 4)                as emissions_kt,
    _batch_id::text                                     as _batch_id
from {{ ref('stg_industry__emissions_annual') }}
