with

ips_schemes as (

    select * from {{ ref('ips_schemes') }}

),

final as (

    select
        cast(ips_scheme as varchar) as ips_scheme,
        cast(label_nl as varchar) as label_nl,
        cast(label_en as varchar) as label_en,
        cast(sort_order as integer) as sort_order

    from ips_schemes

)

select * from final
