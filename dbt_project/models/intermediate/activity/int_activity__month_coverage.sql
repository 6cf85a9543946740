{#-
    Months of each year the monthly activity feeds have a current batch for. A year is
    complete in the data when all twelve months are loaded (months_loaded = 12); the
    current year, or a year loaded only in part, is partial.
-#}
select
    dataset::text                                       as dataset,
    extract(year from interval_start)::integer          as year,
    count(distinct date_trunc('month', interval_start))::integer
                                                        as months_loaded,
    array_agg(distinct batch_id order by batch_id)::text[]
                                                        as batch_ids
from {{ ref('int_activity__current_batches') }}
where dataset in ('regional__campaign_reports', 'regional__dump_detections', 'industry__plantings')
group by dataset, extract(year from interval_start)
