{#-
    The target of each scorecard row (int_kpi_targets__yearly): a region-specific target
    wins over one for the whole scope; rows without a target path get nulls. Carries the
    target's kind, source and whether it is official (the status judges only those).
-#}
select
    grid.scorecard_key,
    target.target_value::numeric                                            as target_value,
    coalesce(target.target_is_interpolated, false)::boolean                 as target_is_interpolated,
    target.target_direction::text                                           as target_direction,
    target.target_kind::text                                                as target_kind,
    coalesce(target.target_is_official, false)::boolean                     as target_is_official,
    target.target_source_note::text                                         as target_source_note,
    target.target_source_url::text                                          as target_source_url
from {{ ref('int_kpi_scorecard__grid') }} as grid
left join lateral (
    select targets.*
    from {{ ref('int_kpi_targets__yearly') }} as targets
    where targets.kpi_code = grid.kpi_code
      and targets.variant = grid.variant
      and targets.scope = grid.scope
      and targets.year = grid.year
      and (targets.region_kato = grid.region_kato or targets.region_kato is null)
    order by targets.region_kato nulls last
    limit 1
) as target on true
