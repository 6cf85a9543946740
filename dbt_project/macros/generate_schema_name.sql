{#-
    Use a model's `+schema` verbatim instead of dbt's default `<target_schema>_<schema>`,
    so dbt builds into exactly the warehouse's layer schemas: staging, intermediate, marts.
    Nodes without a custom schema fall back to the profile's schema (staging).
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
