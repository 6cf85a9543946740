{#-
    The regions' annual society indicators (pupils, eco-education, satisfaction, municipal
    solid waste), one row per region and year, from the current annual batches.
-#}
select
    indicator_id::text                          as indicator_id,
    region_kato::text                           as region_kato,
    year::integer                               as year,
    pupils_total::bigint                        as pupils_total,
    pupils_in_eco_events::bigint                as pupils_in_eco_events,
    satisfaction_share::numeric(6, 4)           as satisfaction_share,
    msw_generated_t::numeric(14, 1)             as msw_generated_t,
    msw_processed_t::numeric(14, 1)             as msw_processed_t,
    _batch_id::text                             as _batch_id
from {{ ref('stg_regional__annual_indicators') }}
