{#-
    current_records(source_name, table_name)

    The raw rows staging may read for one source table (dbt source <source_name>.<dataset>,
    named like its table raw.<dataset> so lineage tools that name a source by its dbt name,
    such as OpenLineage's dbt processor, meet the table the land task wrote): rows of the current batches
    (macro current_batches) minus rows the quality gate moved to quarantine at
    validation (quarantine.<dataset>.stage = 'validation', matched on batch and record
    hash). Rows quarantined at landing never reached raw, so they need no filter.

    Usage:
        source as ( {{ current_records('regional', 'planting_reports') }} )
-#}
{% macro current_records(source_name, table_name) -%}
    {%- set dataset = source_name ~ '__' ~ table_name -%}
    select raw_rows.*
    from {{ source(source_name, dataset) }} as raw_rows
    where raw_rows._batch_id in ({{ current_batches(dataset) }})
      and not exists (
          select 1
          from quarantine.{{ dataset }} as quarantined
          where quarantined.stage = 'validation'
            and quarantined._batch_id = raw_rows._batch_id
            and quarantined._record_hash = raw_rows._record_hash
      )
{%- endmacro %}
