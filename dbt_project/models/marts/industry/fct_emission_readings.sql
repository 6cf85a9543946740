{#-
    AMS telemetry, one row per reading (stack, pollutant, 20-minute slot). Incremental:
    each build reads only rows landed after the newest _loaded_at already here, keeps
    the newest load of each reading_id and replaces an existing reading with the same
    id (a rerun that refetches an interval overwrites, never duplicates). The post-hook
    then drops the readings a newer load of their window no longer delivers (macro
    delete_superseded_readings).
-#}
{{
    config(
        materialized='incremental',
        unique_key='reading_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        indexes=[{'columns': ['_batch_id']}, {'columns': ['reading_at']}],
        post_hook="{{ delete_superseded_readings('industry__telemetry') }}"
    )
}}

with

landed as (
    select *
    from {{ ref('stg_industry__telemetry') }}
    {% if is_incremental() %}
    where _loaded_at > (select coalesce(max(_loaded_at), '-infinity'::timestamptz) from {{ this }})
    {% endif %}
),

newest as (
    select
        landed.*,
        row_number() over (
            partition by reading_id
            order by _loaded_at desc, _batch_id desc
        ) as load_rank
    from landed
)

select
    reading_id::text                                            as reading_id,
    bin::text                                                   as bin,
    stack_id::text                                              as stack_id,
    pollutant::text                                             as pollutant,
    reading_at::timestamptz                                     as reading_at,
    extract(year from reading_at)::integer                      as reading_year,
    value_mg_m3::numeric(12, 2)                                 as value_mg_m3,
    limit_mg_m3::numeric(12, 2)                                 as limit_mg_m3,
    flow_m3_h::numeric(14, 1)                                   as flow_m3_h,
    status::text                                                as status,
    (status = 'ok' and value_mg_m3 > limit_mg_m3)::boolean      as exceeds_limit,
    _batch_id::text                                             as _batch_id,
    _loaded_at::timestamptz                                     as _loaded_at
from newest
where load_rank = 1
