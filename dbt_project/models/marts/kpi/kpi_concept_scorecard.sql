{#-
    The Concept "Taza Qazaqstan" scorecard: every KPI for every year of the programme and
    Concept period, nationally, per region and per enterprise where the KPI has such
    values. Assembled from small models, each with its own rule:
      int_kpi_scorecard__grid            the rows, values and KPI properties;
      int_kpi_scorecard__targets         the year's target with its kind and source;
      int_kpi_scorecard__projection      the projection and its method;
      int_kpi_scorecard__status          status and status_basis;
      int_kpi_scorecard__target_reached  when a cumulative KPI reaches its final target;
      kpi_scorecard_history              the figures published before: is_restated.
-#}
with

status as (
    select * from {{ ref('int_kpi_scorecard__status') }}
),

restatements as (
    -- the latest restatement of each row: the complete-year value it replaced
    select distinct on (scorecard_key) scorecard_key, previous_actual_value as restated_from
    from {{ ref('kpi_scorecard_history') }}
    where is_restatement
    order by scorecard_key, valid_from desc
)

select
    status.scorecard_key::text                                              as scorecard_key,
    status.kpi_code::text                                                   as kpi_code,
    status.kpi_name::text                                                   as kpi_name,
    status.variant::text                                                    as variant,
    status.scope::text                                                      as scope,
    status.region_kato::text                                                as region_kato,
    status.enterprise_bin::text                                             as enterprise_bin,
    status.year::integer                                                    as year,
    status.actual_value::numeric                                            as actual_value,
    status.is_partial_year::boolean                                         as is_partial_year,
    status.projected_value::numeric                                         as projected_value,
    status.target_value::numeric                                            as target_value,
    status.target_is_interpolated::boolean                                  as target_is_interpolated,
    status.unit::text                                                       as unit,
    status.direction::text                                                  as direction,
    status.status::text                                                     as status,
    status.status_basis::text                                               as status_basis,
    target_reached.target_reached_year::integer                             as target_reached_year,
    status.lineage_batch_ids::text[]                                        as lineage_batch_ids,
    status.target_kind::text                                                as target_kind,
    status.target_source_note::text                                         as target_source_note,
    status.target_source_url::text                                          as target_source_url,
    status.projection_method::text                                          as projection_method,
    status.partial_year_rule::text                                          as partial_year_rule,
    (restatements.scorecard_key is not null)::boolean                       as is_restated,
    restatements.restated_from::numeric                                     as restated_from,
    current_timestamp::timestamptz                                          as updated_at
from status
left join {{ ref('int_kpi_scorecard__target_reached') }} as target_reached
    on target_reached.kpi_code = status.kpi_code
    and target_reached.variant = status.variant
    and target_reached.scope = status.scope
    and target_reached.region_kato is not distinct from status.region_kato
    and target_reached.enterprise_bin is not distinct from status.enterprise_bin
left join restatements
    on restatements.scorecard_key = status.scorecard_key
