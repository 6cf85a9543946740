{#-
    The enterprise registry as of its newest validated snapshot. Grain: one row per BIN.

    The registry is served whole on every run (request style 'snapshot'), so each run
    lands a batch of its own and the newest one replaces every earlier snapshot: an
    enterprise missing from it has left the registry (the SCD2 snapshot
    snap_industry__enterprises keeps the history).

    Names follow the warehouse's, not the source API's: the source's bin is enterprise_bin
    (as in every industry model) and its flags ams_obliged/_installed/_connected are
    is_ams_obliged/_installed/_connected (booleans read is_<state> or has_<thing>).
-#}
with

source as (
    {{ current_records('industry', 'enterprises') }}
),

newest_snapshot as (
    select _batch_id
    from source
    order by _loaded_at desc, _batch_id desc
    limit 1
),

typed as (
    select
        trim(bin::text)                                 as enterprise_bin,
        trim(name::text)                                as enterprise_name,
        nullif(trim(holding::text), '')                 as holding,
        trim(region_kato::text)                         as region_kato_reported,
        lower(trim(sector::text))                       as sector,
        hazard_category::integer                        as hazard_category,
        ams_obliged::boolean                            as is_ams_obliged,
        ams_obliged_since::date                         as ams_obliged_since,
        ams_installed::boolean                          as is_ams_installed,
        ams_installed_at::date                          as ams_installed_at,
        ams_connected::boolean                          as is_ams_connected,
        ams_connected_at::date                          as ams_connected_at,
        ams_deferred_to::integer                        as ams_deferred_to,
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
    {{ newest_per_key('resolved', 'enterprise_bin') }}
)

select
    enterprise_bin,
    enterprise_name,
    holding,
    region_kato,
    region_kato_reported,
    sector,
    hazard_category,
    is_ams_obliged,
    ams_obliged_since,
    is_ams_installed,
    ams_installed_at,
    is_ams_connected,
    ams_connected_at,
    ams_deferred_to,
    _batch_id,
    _loaded_at,
    _source_url,
    _record_hash
from deduplicated
