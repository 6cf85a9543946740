{#-
    The time each dataset's current batches cover, as windows: batch intervals merged
    where they overlap or touch. A period is loaded when one window contains it whole,
    so a gap between two batches (a missed run) is visible as two windows.
-#}
with

ordered as (
    select
        dataset, batch_id, interval_start, interval_end,
        case when interval_start <= max(interval_end) over (
                 partition by dataset order by interval_start, interval_end
                 rows between unbounded preceding and 1 preceding)
             then 0 else 1 end as opens_window
    from {{ ref('int_activity__current_batches') }}
),

numbered as (
    select ordered.*,
           sum(opens_window) over (partition by dataset order by interval_start, interval_end) as window_number
    from ordered
)

select
    dataset::text                                       as dataset,
    window_number::integer                              as window_number,
    min(interval_start)::timestamptz                    as window_start,
    max(interval_end)::timestamptz                      as window_end,
    array_agg(batch_id order by batch_id)::text[]       as batch_ids
from numbered
group by dataset, window_number
