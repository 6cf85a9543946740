{#-
    DEPRECATED until 2027-06-30: version 1 of fct_commitments, kept under its old relation
    name marts.fct_commitments so that BI queries written before the renaming keep working.
    The rows of marts.fct_commitments_v2 (the latest version, what ref('fct_commitments')
    resolves to) with the old column names: enterprise_bin -> bin.

    No logic of its own; a table, not a view over v2: a build re-creates v2's table and
    PostgreSQL would drop a view over the old one with it, so old queries would fail until
    v1 is rebuilt (and for good if a failing test on v2 skipped that).
-#}
select
    commitment_key,
    enterprise_bin       as bin,
    region_kato,
    year,
    has_commitment,
    trees_committed,
    area_committed_ha,
    trees_planted,
    area_planted_ha,
    fulfilment_share,
    lineage_batch_ids
from {{ ref('fct_commitments', v=2) }}
