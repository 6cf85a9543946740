{#-
    Seedlings held by the nurseries per season, species and age, with the nursery's
    region from the registry (and the registry record's batch, for lineage). Grain: stock_id (nursery x season x species x age).
-#}
with stock as (
    select * from {{ ref('stg_nursery__seedling_stock') }}
),

nurseries as (
    select nursery_id, region_kato, _batch_id from {{ ref('stg_nursery__nurseries') }}
)

select
    stock.stock_id::text                                                          as stock_id,
    stock.nursery_id::text                                                        as nursery_id,
    nurseries.region_kato::text                                                   as region_kato,
    stock.season_year::integer                                                    as season_year,
    stock.species::text                                                           as species,
    stock.age_years::integer                                                      as age_years,
    stock.seedlings_ready::bigint                                                 as seedlings_ready,
    stock.seedlings_total::bigint                                                 as seedlings_total,
    round(stock.seedlings_ready::numeric / nullif(stock.seedlings_total, 0), 4)::numeric(7, 4)
                                                                                  as ready_share,
    stock._batch_id::text                                                         as _batch_id,
    nurseries._batch_id::text                                                     as registry_batch_id
from stock
left join nurseries
    on nurseries.nursery_id = stock.nursery_id
