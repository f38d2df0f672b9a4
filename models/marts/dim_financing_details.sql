with

financing_details as (

    select * from {{ ref('financing_details') }}

),

final as (

    select
        cast(financing_detail as varchar) as financing_detail,
        cast(label_nl as varchar) as label_nl,
        cast(label_en as varchar) as label_en,
        cast(sort_order as integer) as sort_order

    from financing_details

)

select * from final
