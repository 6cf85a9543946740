{#-
    Enterprises as the registry shows them now: the current version of each BIN in the
    SCD2 snapshot snap_industry__enterprises (enterprises that left the registry are
    excluded), with their AMS obligation, installation and connection dates.
-#}
with current_versions as (
    select *
    from {{ ref('snap_industry__enterprises') }}
    where dbt_valid_to is null
)

select
    current_versions.enterprise_bin::text               as enterprise_bin,
    current_versions.enterprise_name::text              as enterprise_name,
    current_versions.holding::text                      as holding,
    current_versions.region_kato::text                  as region_kato,
    regions.name_en::text                               as region_name_en,
    current_versions.sector::text                       as sector,
    current_versions.hazard_category::integer           as hazard_category,
    current_versions.is_ams_obliged::boolean            as is_ams_obliged,
    current_versions.ams_obliged_since::date            as ams_obliged_since,
    current_versions.is_ams_installed::boolean          as is_ams_installed,
    current_versions.ams_installed_at::date             as ams_installed_at,
    current_versions.is_ams_connected::boolean          as is_ams_connected,
    current_versions.ams_connected_at::date             as ams_connected_at,
    current_versions.ams_deferred_to::integer           as ams_deferred_to,
    current_versions.dbt_valid_from::timestamptz        as version_valid_from
from current_versions
left join {{ ref('dim_region') }} as regions
    on regions.region_kato = current_versions.region_kato
