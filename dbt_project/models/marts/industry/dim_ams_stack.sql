{#-
    The AMS stack registry: every stack and pollutant an AMS-obliged enterprise must
    monitor, as the newest registry snapshot shows it. Grain: registry_id (stack_id x
    pollutant). Silent stacks (not installed or not connected, so no readings) are rows
    too: telemetry completeness counts readings expected from readings_required_from.
-#}
with stacks as (
    select * from {{ ref('stg_industry__ams_stacks') }}
)

select
    registry_id::text                                   as registry_id,
    stack_id::text                                      as stack_id,
    enterprise_bin::text                                as enterprise_bin,
    region_kato::text                                   as region_kato,
    pollutant::text                                     as pollutant,
    registered_on::date                                 as registered_on,
    required_from::date                                 as readings_required_from,
    ams_deferred_to::integer                            as ams_deferred_to,
    (ams_deferred_to is not null)::boolean              as is_deferred,
    installed_on::date                                  as installed_on,
    connected_on::date                                  as connected_on,
    (connected_on is not null)::boolean                 as is_connected,
    _batch_id::text                                     as _batch_id
from stacks
