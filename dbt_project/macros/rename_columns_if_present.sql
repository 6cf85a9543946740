{#-
    rename_columns_if_present(renames)

    Pre-hook of a snapshot whose source renamed columns: rename the columns of the existing
    snapshot table in place ({'old': 'new', ...}), so the history is kept under the new
    names. Without it dbt would add the new columns empty next to the old ones, and a
    renamed unique_key or check column would make every row look new: each entity would
    get a second version and its history would restart at the migration. Renders nothing
    when the table does not exist yet or the columns were already renamed, so it is
    harmless on every later run.

    Usage (snapshot config):
        pre_hook: "{{ rename_columns_if_present({'bin': 'enterprise_bin'}) }}"
-#}
{% macro rename_columns_if_present(renames) -%}
    {%- if execute -%}
        {%- set relation = adapter.get_relation(this.database, this.schema, this.identifier) -%}
        {%- if relation is not none -%}
            {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
            {%- for old, new in renames.items() if old in present and new not in present %}
    alter table {{ relation }} rename column {{ adapter.quote(old) }} to {{ adapter.quote(new) }};
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
