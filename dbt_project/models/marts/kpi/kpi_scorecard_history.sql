{#-
    Every figure the scorecard has published, one row per scorecard_key per change:
    a build appends a version for each row whose figures (actual_value, is_partial_year,
    projected_value, target_value, status) differ from its open version, and closes the
    open version (valid_to). A rerun that changes no figure appends nothing. A row the
    scorecard no longer publishes (e.g. an enterprise no longer in the registry) has its
    open version closed and none after it: withdrawn, not left open.
    is_restatement: the change replaced the actual value of a year published as complete
    (not the growth of a partial year, nor a partial year becoming complete).
    changed_by_batch_ids: the batches in the new version's lineage that the old one did
    not have (on a first version: its whole lineage).
    full_refresh=false: the history is the published record, so `dbt build --full-refresh`
    keeps it; drop the table by hand to start a new record.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['scorecard_key', 'valid_from'],
    full_refresh=false,
) }}
{%- set figures = ['actual_value', 'is_partial_year', 'projected_value', 'target_value', 'status'] -%}
with

published as (
    select scorecard_key, kpi_code, variant, scope, region_kato, enterprise_bin, year,
           {{ figures | join(', ') }}, lineage_batch_ids,
           {{ history_built_at() }} as built_at
    from {{ ref('int_kpi_scorecard__status') }}
),

{% if is_incremental() %}
open_versions as (
    select * from {{ this }} where valid_to is null
),
{% else %}
open_versions as (
    select * from (select null::text as scorecard_key,
                          {% for figure in figures %}null::{{ 'boolean' if figure == 'is_partial_year' else ('text' if figure == 'status' else 'numeric') }} as {{ figure }},{% endfor %}
                          null::text[] as lineage_batch_ids, null::timestamptz as valid_from,
                          null::timestamptz as valid_to) as nothing
    where false
),
{% endif %}

changed as (
    select
        published.*,
        open_versions.scorecard_key is not null as has_previous,
        {% for figure in figures %}open_versions.{{ figure }} as previous_{{ figure }},
        {% endfor %}open_versions.lineage_batch_ids as previous_lineage_batch_ids,
        open_versions.valid_from as previous_valid_from
    from published
    left join open_versions using (scorecard_key)
    where open_versions.scorecard_key is null
       {% for figure in figures %}or published.{{ figure }} is distinct from open_versions.{{ figure }}
       {% endfor %}
),

new_versions as (
    select
        scorecard_key, kpi_code, variant, scope, region_kato, enterprise_bin, year,
        built_at                                                            as valid_from,
        null::timestamptz                                                   as valid_to,
        {% for figure in figures %}{{ figure }}, previous_{{ figure }},
        {% endfor %}(has_previous and previous_is_partial_year = false and previous_actual_value is not null
         and actual_value is distinct from previous_actual_value)           as is_restatement,
        array(select unnest(lineage_batch_ids)
              except select unnest(coalesce(previous_lineage_batch_ids, '{}'))
              order by 1)                                                   as changed_by_batch_ids,
        lineage_batch_ids
    from changed
)

{% if is_incremental() %}
, closed_versions as (
    -- the open versions this build replaces, and those of rows no longer published
    select
        open_versions.scorecard_key, open_versions.kpi_code, open_versions.variant, open_versions.scope,
        open_versions.region_kato, open_versions.enterprise_bin, open_versions.year,
        open_versions.valid_from,
        {{ history_built_at() }}                                            as valid_to,
        {% for figure in figures %}open_versions.{{ figure }}, open_versions.previous_{{ figure }},
        {% endfor %}open_versions.is_restatement,
        open_versions.changed_by_batch_ids,
        open_versions.lineage_batch_ids
    from open_versions
    where open_versions.scorecard_key in (select scorecard_key from new_versions)
       or open_versions.scorecard_key not in (select scorecard_key from published)
)
{% endif %}

select
    scorecard_key::text, kpi_code::text, variant::text, scope::text, region_kato::text,
    enterprise_bin::text, year::integer, valid_from::timestamptz, valid_to::timestamptz,
    {% for figure in figures %}{{ figure }}, previous_{{ figure }},
    {% endfor %}is_restatement::boolean, changed_by_batch_ids::text[], lineage_batch_ids::text[]
from new_versions
{% if is_incremental() %}
union all
select * from closed_versions
{% endif %}
