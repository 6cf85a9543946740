{#-
    Corporate tree planting: what each enterprise committed for a year against what it
    planted in that year. Grain: (enterprise_bin, year). A year with plantings but no commitment
    (or the reverse) is kept, with zeros on the missing side and has_commitment telling
    which. The region is the enterprise's registered region.
-#}
with

committed as (
    select enterprise_bin, year,
           sum(trees_committed) as trees_committed,
           sum(area_committed_ha) as area_committed_ha,
           array_agg(distinct _batch_id) as batch_ids
    from {{ ref('stg_industry__commitments') }}
    group by enterprise_bin, year
),

planted as (
    select enterprise_bin, extract(year from period_month)::integer as year,
           min(region_kato) as planting_region_kato,
           sum(trees_planted) as trees_planted,
           sum(area_ha) as area_planted_ha,
           array_agg(distinct _batch_id) as batch_ids
    from {{ ref('stg_industry__plantings') }}
    group by enterprise_bin, extract(year from period_month)
),

joined as (
    select
        coalesce(committed.enterprise_bin, planted.enterprise_bin) as enterprise_bin,
        coalesce(committed.year, planted.year) as year,
        committed.trees_committed,
        committed.area_committed_ha,
        planted.trees_planted,
        planted.area_planted_ha,
        planted.planting_region_kato,
        coalesce(committed.batch_ids, '{}') || coalesce(planted.batch_ids, '{}') as batch_ids
    from committed
    full outer join planted
        on planted.enterprise_bin = committed.enterprise_bin
        and planted.year = committed.year
)

select
    md5(joined.enterprise_bin || '|' || joined.year::text)::text        as commitment_key,
    joined.enterprise_bin::text                                         as enterprise_bin,
    coalesce(enterprises.region_kato, joined.planting_region_kato)::text
                                                                        as region_kato,
    joined.year::integer                                                as year,
    (joined.trees_committed is not null)::boolean                       as has_commitment,
    coalesce(joined.trees_committed, 0)::bigint                         as trees_committed,
    coalesce(joined.area_committed_ha, 0)::numeric(14, 2)               as area_committed_ha,
    coalesce(joined.trees_planted, 0)::bigint                           as trees_planted,
    coalesce(joined.area_planted_ha, 0)::numeric(14, 2)                 as area_planted_ha,
    round(coalesce(joined.trees_planted, 0)::numeric / nullif(joined.trees_committed, 0), 6)::numeric(12, 6)
                                                                        as fulfilment_share,
    array(select distinct unnest(joined.batch_ids) order by 1)::text[]  as lineage_batch_ids
from joined
left join {{ ref('dim_enterprise') }} as enterprises
    on enterprises.enterprise_bin = joined.enterprise_bin
