with

ips_phases as (

    select * from {{ ref('ips_phases') }}

),

final as (

    select
        cast(ips_phase as varchar) as ips_phase,
        cast(label_nl as varchar) as label_nl,
        cast(label_en as varchar) as label_en,
        cast(is_running as boolean) as is_running,
        cast(sort_order as integer) as sort_order

    from ips_phases

)

select * from final
