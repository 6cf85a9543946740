{#-
    DEPRECATED until 2027-06-30: version 1 of fct_emissions_annual, kept under its old
    relation name marts.fct_emissions_annual so that BI queries written before the renaming
    keep working. The rows of marts.fct_emissions_annual_v2 (the latest version, what
    ref('fct_emissions_annual') resolves to) with the old column names: enterprise_bin ->
    bin.

    No logic of its own; a table, not a view over v2: a build re-creates v2's table and
    PostgreSQL would drop a view over the old one with it, so old queries would fail until
    v1 is rebuilt (and for good if a failing test on v2 skipped that).
-#}
select
    emission_report_id,
    enterprise_bin        as bin,
    region_kato,
    year,
    pollutant,
    emissions_t,
    emissions_kt,
    _batch_id
from {{ ref('fct_emissions_annual', v=2) }}
