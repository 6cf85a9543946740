{#-
    Every KPI value the scorecard reports: the union of the domains' int_kpi_values__*
    models, which share one shape (kpi_code, variant, scope, region_kato, enterprise_bin,
    year, actual_value, is_partial_year, lineage_batch_ids). Adding a domain is one line
    in the list below.
-#}
{%- set kpi_value_models = [
    'int_kpi_values__forestry',
    'int_kpi_values__nursery',
] -%}

{% for model_name in kpi_value_models %}
select
    kpi_code::text,
    variant::text,
    scope::text,
    region_kato::text,
    enterprise_bin::text,
    year::integer,
    actual_value::numeric,
    is_partial_year::boolean,
    lineage_batch_ids::text[]
from {{ ref(model_name) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
