{#- When this build publishes: the start of the dbt run, the valid_from of the versions
    kpi_scorecard_history appends and the valid_to of those it closes (a macro, so a unit
    test can fix it). -#}
{% macro history_built_at() -%}
    '{{ run_started_at.isoformat() }}'::timestamptz
{%- endmacro %}
