{#-
    delete_superseded_readings(dataset)

    Post-hook of an incremental fact keyed by reading: delete the readings a newer load
    of their window no longer delivers. A reading is superseded when its batch is no
    longer current (macro current_batches) and a current batch of the dataset covers
    its reading_at; readings the newer load did deliver were already replaced through
    the unique key. Readings of a non-current batch outside every current window stay.
-#}
{% macro delete_superseded_readings(dataset) -%}
    delete from {{ this }} as readings
    where readings._batch_id in (
            select batch.batch_id
            from {{ source('audit', 'batch') }} as batch
            where batch.dataset = {{ dbt.string_literal(dataset) }}
              and batch.batch_id not in ({{ current_batches(dataset) }})
        )
      and exists (
            select 1
            from {{ source('audit', 'batch') }} as newer
            where newer.batch_id in ({{ current_batches(dataset) }})
              and readings.reading_at >= newer.interval_start
              and readings.reading_at < newer.interval_end
        )
{%- endmacro %}
