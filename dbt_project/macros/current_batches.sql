{#-
    current_batches(dataset)

    A SELECT returning one column, batch_id: the batches of raw dataset `dataset`
    (its name in audit.batch, e.g. 'regional__planting_reports') that staging must read.

    Raw tables are append-only: rerunning an interval lands a NEW batch and never deletes
    the old one. For each (dataset, interval_start) the current batch is the newest one
    with status = 'validated' (newest by loaded_at, ties broken by the larger batch_id).
    Batches that are still loading, failed, or were rejected by the quality gate are
    never read, and a rejected rerun leaves the previous validated batch in force.

    Usage:
        where _batch_id in ({{ current_batches('regional__planting_reports') }})
-#}
{% macro current_batches(dataset) -%}
    select ranked_batches.batch_id
    from (
        select
            batch.batch_id,
            row_number() over (
                partition by batch.dataset, batch.interval_start
                order by batch.loaded_at desc nulls last, batch.batch_id desc
            ) as batch_rank
        from {{ source('audit', 'batch') }} as batch
        where batch.dataset = {{ dbt.string_literal(dataset) }}
          and batch.status = 'validated'
    ) as ranked_batches
    where ranked_batches.batch_rank = 1
{%- endmacro %}
