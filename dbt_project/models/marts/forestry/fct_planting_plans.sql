{#-
    State-forest-fund planting plans per region and plan year, every published revision.
    Grain: plan_id (region_kato x plan_year x revision).

    A revision replaces the earlier ones of its region and year from its publication on:
    is_current_revision marks the newest, superseded_on says when an older one was
    replaced. A plan's figure as it stood on a date is the revision with the latest
    published_on up to that date.
-#}
with plans as (
    select * from {{ ref('stg_regional__planting_plans') }}
),

ranked as (
    select
        plans.*,
        lead(published_on) over (partition by region_kato, plan_year order by revision) as superseded_on
    from plans
)

select
    plan_id::text                                       as plan_id,
    region_kato::text                                   as region_kato,
    plan_year::integer                                  as plan_year,
    revision::integer                                   as revision,
    published_on::date                                  as published_on,
    superseded_on::date                                 as superseded_on,
    (superseded_on is null)::boolean                    as is_current_revision,
    programme::text                                     as programme,
    trees_planned::bigint                               as trees_planned,
    area_planned_ha::numeric(14, 2)                     as area_planned_ha,
    _batch_id::text                                     as _batch_id
from ranked
