{#-
    newest_per_key(relation, key, rank_first=none)

    One row per `key` of `relation`: the newest load wins, by _loaded_at, then _batch_id
    and _record_hash so the choice never depends on the plan. `rank_first` orders before
    that (e.g. the source's own `reported_at desc nulls last`).
-#}
{% macro newest_per_key(relation, key, rank_first=none) -%}
    select distinct on ({{ key }}) *
    from {{ relation }}
    order by {{ key }},{% if rank_first %} {{ rank_first }},{% endif %} _loaded_at desc, _batch_id desc, _record_hash desc
{%- endmacro %}
