{#-
    DEPRECATED until 2027-06-30: version 1 of dim_ams_stack, kept under its old relation
    name marts.dim_ams_stack so that BI queries written before the renaming keep working.
    The rows of marts.dim_ams_stack_v2 (the latest version, what ref('dim_ams_stack')
    resolves to) with the old column names: enterprise_bin -> bin.

    No logic of its own; a table, not a view over v2: a build re-creates v2's table and
    PostgreSQL would drop a view over the old one with it, so old queries would fail until
    v1 is rebuilt (and for good if a failing test on v2 skipped that).
-#}
select
    registry_id,
    stack_id,
    enterprise_bin            as bin,
    region_kato,
    pollutant,
    registered_on,
    readings_required_from,
    ams_deferred_to,
    is_deferred,
    installed_on,
    connected_on,
    is_connected,
    _batch_id
from {{ ref('dim_ams_stack', v=2) }}
