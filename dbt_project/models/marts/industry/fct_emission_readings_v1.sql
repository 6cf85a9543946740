{#-
    DEPRECATED until 2027-06-30: version 1 of fct_emission_readings, kept under its old
    relation name marts.fct_emission_readings so that BI queries written before the renaming
    keep working. The rows of marts.fct_emission_readings_v2 (the latest version, what
    ref('fct_emission_readings') resolves to) with the old column names: enterprise_bin ->
    bin, is_over_limit -> exceeds_limit.

    No logic of its own; a view: the incremental fact is not re-created by a build, so the
    view over it stays; copying every reading into a second table would double the largest
    table.
-#}
select
    reading_id,
    enterprise_bin    as bin,
    stack_id,
    pollutant,
    reading_at,
    reading_year,
    value_mg_m3,
    limit_mg_m3,
    flow_m3_h,
    status,
    is_over_limit     as exceeds_limit,
    _batch_id,
    _loaded_at
from {{ ref('fct_emission_readings', v=2) }}
