{#-
    AMS telemetry, one row per reading (stack, pollutant, 20-minute slot). Incremental:
    each build reads only the current batches this fact has not taken yet (none of its
    rows carries their _batch_id), whatever order they were landed and validated in: the
    industry DAG runs several intervals at once, so a day that started landing first can
    be validated after a later day was built, and a filter on the newest _loaded_at would
    skip it for ever. It keeps the newest load of each reading_id, replaces an existing
    reading with the same id (a rerun that refetches an interval overwrites, never
    duplicates), and leaves out a reading that a newer load already put here (a batch
    whose readings were all replaced by an overlapping newer one is read again, and
    changes nothing). The post-hook then drops the readings a newer load of their window
    no longer delivers (macro delete_superseded_readings).
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
    where _batch_id in (
        select current_batch.batch_id
        from ({{ current_batches('industry__telemetry') }}) as current_batch
        where not exists (select 1 from {{ this }} as taken where taken._batch_id = current_batch.batch_id)
    )
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
    enterprise_bin::text                                        as enterprise_bin,
    stack_id::text                                              as stack_id,
    pollutant::text                                             as pollutant,
    reading_at::timestamptz                                     as reading_at,
    extract(year from reading_at)::integer                      as reading_year,
    value_mg_m3::numeric(12, 2)                                 as value_mg_m3,
    limit_mg_m3::numeric(12, 2)                                 as limit_mg_m3,
    flow_m3_h::numeric(14, 1)                                   as flow_m3_h,
    status::text                                                as status,
    (status = 'ok' and value_mg_m3 > limit_mg_m3)::boolean      as is_over_limit,
    _batch_id::text                                             as _batch_id,
    _loaded_at::timestamptz                                     as _loaded_at
from newest
where load_rank = 1
{% if is_incremental() %}
  and not exists (
      select 1
      from {{ this }} as kept
      where kept.reading_id = newest.reading_id
        and (kept._loaded_at, kept._batch_id) > (newest._loaded_at, newest._batch_id)
  )
{% endif %}
