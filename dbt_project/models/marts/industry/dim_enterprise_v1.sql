{#-
    DEPRECATED until 2027-06-30: version 1 of dim_enterprise, kept under its old relation
    name marts.dim_enterprise so that BI queries written before the renaming keep working.
    The rows of marts.dim_enterprise_v2 (the latest version, what ref('dim_enterprise')
    resolves to) with the old column names: enterprise_bin -> bin, is_ams_obliged ->
    ams_obliged, is_ams_installed -> ams_installed, is_ams_connected -> ams_connected.

    No logic of its own; a table, not a view over v2: a build re-creates v2's table and
    PostgreSQL would drop a view over the old one with it, so old queries would fail until
    v1 is rebuilt (and for good if a failing test on v2 skipped that).
-#}
select
    enterprise_bin        as bin,
    enterprise_name,
    holding,
    region_kato,
    region_name_en,
    sector,
    hazard_category,
    is_ams_obliged        as ams_obliged,
    ams_obliged_since,
    is_ams_installed      as ams_installed,
    ams_installed_at,
    is_ams_connected      as ams_connected,
    ams_connected_at,
    ams_deferred_to,
    version_valid_from
from {{ ref('dim_enterprise', v=2) }}
