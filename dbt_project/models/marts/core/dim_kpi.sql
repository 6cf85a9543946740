{#- Every KPI of the scorecard with its name and unit label in English, Russian and Kazakh (seed kpi_catalogue). -#}
select
    catalogue.kpi_code::text        as kpi_code,
    catalogue.kpi_name::text        as name_en,
    catalogue.kpi_name_ru::text     as name_ru,
    catalogue.kpi_name_kk::text     as name_kk,
    catalogue.unit::text            as unit,
    catalogue.unit_label_en::text   as unit_label_en,
    catalogue.unit_label_ru::text   as unit_label_ru,
    catalogue.unit_label_kk::text   as unit_label_kk,
    catalogue.direction::text       as direction,
    catalogue.domain::text          as domain,
    catalogue.description::text     as description
from {{ ref('kpi_catalogue') }} as catalogue
