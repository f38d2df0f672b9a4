with

financing_types as (

    select * from {{ ref('financing_types') }}

),

final as (

    select
        cast(financing as varchar) as financing,
        cast(label_nl as varchar) as label_nl,
        cast(label_en as varchar) as label_en,
        cast(sort_order as integer) as sort_order

    from financing_types

)

select * from final
