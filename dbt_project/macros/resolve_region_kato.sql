{#-
    resolve_region_kato(relation, reported_column='region_kato_reported')

    Every column of `relation` plus region_kato: the current KATO code of the reported
    one, through the code aliases of seed region_code_aliases (the legacy Shymkent code,
    short and ISO forms). A code without an alias stays as reported, for the
    relationships test against dim_region to flag.
-#}
{% macro resolve_region_kato(relation, reported_column='region_kato_reported') -%}
    select
        {{ relation }}.*,
        coalesce(region_codes.region_kato, {{ relation }}.{{ reported_column }}) as region_kato
    from {{ relation }}
    left join (
        select alias_code, region_kato
        from {{ ref('region_code_aliases') }}
        where alias_type in ('kato', 'kato_legacy', 'kato_ab', 'iso_3166_2', 'iso_legacy')
    ) as region_codes
        on region_codes.alias_code = lower({{ relation }}.{{ reported_column }})
{%- endmacro %}
