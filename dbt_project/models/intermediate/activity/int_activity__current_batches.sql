{#-
    The current batch (newest validated per interval, macro current_batches) of every
    source dataset, with the interval it covers. int_activity__batch_windows merges the
    intervals and int_feed_year_coverage tells complete years from partial ones.
    Tagged reads_audit_trail: it reads the batches of every dataset, so a KPI refresh
    rebuilds it whenever any dataset has a new validated batch (taza.pipeline.kpi_refresh).
-#}
{{ config(tags=['reads_audit_trail']) }}
{%- set datasets = ['regional__planting_reports', 'regional__campaign_reports', 'regional__annual_indicators',
                    'regional__dump_detections', 'nursery__nurseries', 'nursery__seedling_stock',
                    'nursery__survival_inventories', 'industry__enterprises', 'industry__commitments',
                    'industry__plantings', 'industry__emissions_annual', 'industry__telemetry',
                    'regional__planting_plans', 'industry__ams_stacks'] -%}
{%- for dataset in datasets %}
select
    batch.dataset::text                 as dataset,
    batch.batch_id::text                as batch_id,
    batch.interval_start::timestamptz   as interval_start,
    batch.interval_end::timestamptz     as interval_end,
    batch.loaded_at::timestamptz        as loaded_at
from {{ source('audit', 'batch') }} as batch
where batch.batch_id in ({{ current_batches(dataset) }})
{% if not loop.last %}union all{% endif %}
{%- endfor %}
