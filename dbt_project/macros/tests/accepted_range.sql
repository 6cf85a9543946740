{#-
    Generic test: every non-null value of the column lies within [min_value, max_value]
    (either bound optional; `inclusive: false` makes the bounds strict).

        - accepted_range:
            arguments:
              min_value: 0
-#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
    {%- set lower_op = '>=' if inclusive else '>' -%}
    {%- set upper_op = '<=' if inclusive else '<' -%}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
      and not (
          true
          {%- if min_value is not none %} and {{ column_name }} {{ lower_op }} {{ min_value }}{% endif %}
          {%- if max_value is not none %} and {{ column_name }} {{ upper_op }} {{ max_value }}{% endif %}
      )
{% endtest %}
