with

exit_reasons as (

    select * from {{ ref('exit_reasons') }}

),

final as (

    select
        cast(exit_reason as varchar) as exit_reason,
        cast(label_nl as varchar) as label_nl,
        cast(label_en as varchar) as label_en,
        cast(sort_order as integer) as sort_order

    from exit_reasons

)

select * from final
