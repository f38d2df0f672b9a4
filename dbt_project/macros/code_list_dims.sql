{#- SQL: the dim of a code-list seed (seeds/<seed_name>.csv): its code,
    the Dutch and English labels and the report order, in the contract's
    types. The six code-list dims are this one select, so a code list's
    shape is written once (their contracts: models/marts/_marts__models.yml). -#}
{% macro code_list_dim(seed_name, code_column) %}
with

code_list as (

    select * from {{ ref(seed_name) }}

),

final as (

    select
        cast({{ code_column }} as varchar) as {{ code_column }},
        cast(label_nl as varchar) as label_nl,
        cast(label_en as varchar) as label_en,
        cast(sort_order as integer) as sort_order

    from code_list

)

select * from final
{% endmacro %}
