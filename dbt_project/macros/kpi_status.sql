{#-
    kpi_status(value, target, higher_is_better, tolerance)

    The scorecard's status rule against an official target, one SQL expression
    (int_kpi_scorecard__status says no_target first where the target is not official):
      no_data    no value to judge (see status_basis) or no target;
      on_track   the value meets the target (>= when higher is better, <= otherwise);
      at_risk    it misses by at most `tolerance` of the target (e.g. 0.05 = 5 %);
      off_track  it misses by more.
-#}
{% macro kpi_status(value, target, higher_is_better, tolerance) -%}
    case
        when {{ value }} is null or {{ target }} is null then 'no_data'
        when {{ higher_is_better }} then
            case
                when {{ value }} >= {{ target }} then 'on_track'
                when {{ value }} >= {{ target }} - abs({{ target }}) * {{ tolerance }} then 'at_risk'
                else 'off_track'
            end
        else
            case
                when {{ value }} <= {{ target }} then 'on_track'
                when {{ value }} <= {{ target }} + abs({{ target }}) * {{ tolerance }} then 'at_risk'
                else 'off_track'
            end
    end
{%- endmacro %}
