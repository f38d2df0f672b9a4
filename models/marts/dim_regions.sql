with

regions as (

    select * from {{ ref('regions') }}

),

final as (

    select
        cast(region_code as varchar) as region_code,
        cast(region_name as varchar) as region_name

    from regions

)

select * from final
