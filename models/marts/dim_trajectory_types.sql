with

trajectory_types as (

    select * from {{ ref('trajectory_types') }}

),

final as (

    select
        cast(trajectory_type as varchar) as trajectory_type,
        cast(label_nl as varchar) as label_nl,
        cast(label_en as varchar) as label_en,
        cast(sort_order as integer) as sort_order

    from trajectory_types

)

select * from final
