{#-
    The AMS stack registry as of its newest validated snapshot. Grain: one row per
    registry_id (stack x pollutant that must be monitored).

    Served whole on every run (request style 'snapshot'): the newest snapshot replaces
    the earlier ones. It lists every stack of every AMS-obliged enterprise, also those
    sending no readings (not yet installed or connected), so telemetry completeness can
    count the silent ones.
-#}
with

source as (
    {{ current_records('industry', 'ams_stacks') }}
),

newest_snapshot as (
    select _batch_id
    from source
    order by _loaded_at desc, _batch_id desc
    limit 1
),

typed as (
    select
        trim(registry_id::text)                         as registry_id,
        trim(stack_id::text)                            as stack_id,
        trim(bin::text)                                 as enterprise_bin,
        trim(region_kato::text)                         as region_kato_reported,
        lower(trim(pollutant::text))                    as pollutant,
        registered_on::date                             as registered_on,
        required_from::date                             as required_from,
        ams_deferred_to::integer                        as ams_deferred_to,
        installed_on::date                              as installed_on,
        connected_on::date                              as connected_on,
        _batch_id::text                                 as _batch_id,
        _loaded_at::timestamptz                         as _loaded_at,
        _source_url::text                               as _source_url,
        _record_hash::text                              as _record_hash
    from source
    where _batch_id in (select _batch_id from newest_snapshot)
),

resolved as (
    {{ resolve_region_kato('typed') }}
),

deduplicated as (
    {{ newest_per_key('resolved', 'registry_id') }}
)

select
    registry_id,
    stack_id,
    enterprise_bin,
    region_kato,
    region_kato_reported,
    pollutant,
    registered_on,
    required_from,
    ams_deferred_to,
    installed_on,
    connected_on,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
