{#-
    Every version of each enterprise's registry entry, dated by the registry: a version is
    valid from the day of the registry snapshot that first showed it (its batch's interval
    end) until the next version's day, or until it left the registry. Grain: enterprise_bin x
    registry_valid_from. Past years' AMS shares read the registry as it stood then from here,
    not from today's registry.
-#}
with

versions as (
    select * from {{ ref('snap_industry__enterprises') }}
),

dated as (
    select
        versions.*,
        batches.interval_end as registry_valid_from,
        lead(batches.interval_end) over (partition by versions.enterprise_bin order by versions.dbt_valid_from)
            as next_version_from
    from versions
    left join {{ source('audit', 'batch') }} as batches on batches.batch_id = versions._batch_id
)

select
    md5(enterprise_bin || '|' || dbt_valid_from::text)::text as enterprise_version_key,
    enterprise_bin::text                                    as enterprise_bin,
    region_kato::text                                       as region_kato,
    sector::text                                            as sector,
    is_ams_obliged::boolean                                 as is_ams_obliged,
    ams_obliged_since::date                                 as ams_obliged_since,
    is_ams_installed::boolean                               as is_ams_installed,
    ams_installed_at::date                                  as ams_installed_at,
    is_ams_connected::boolean                               as is_ams_connected,
    ams_connected_at::date                                  as ams_connected_at,
    ams_deferred_to::integer                                as ams_deferred_to,
    coalesce(registry_valid_from, dbt_valid_from)::timestamptz
                                                            as registry_valid_from,
    coalesce(next_version_from, dbt_valid_to)::timestamptz  as registry_valid_to,
    (dbt_valid_to is null)::boolean                         as is_current,
    _batch_id::text                                         as _batch_id
from dated
