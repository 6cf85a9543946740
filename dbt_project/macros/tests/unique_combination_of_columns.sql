{#-
    Generic test: the combination of `combination_of_columns` is unique in the model.
    NULLs compare as equal (GROUP BY semantics), so a national row with region_kato NULL
    is still checked. Fails with one row per duplicated combination.

        data_tests:
          - unique_combination_of_columns:
              arguments:
                combination_of_columns: [scope, region_kato, year]
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set columns_csv = combination_of_columns | join(', ') -%}
    select {{ columns_csv }}, count(*) as n_records
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1
{% endtest %}
