with

organisations as (

    select * from {{ ref('organisations') }}

),

final as (

    select
        cast(organisation_code as varchar) as organisation_code,
        cast(organisation_name as varchar) as organisation_name,
        cast(organisation_kind as varchar) as organisation_kind,
        cast(active_from_quarter as varchar) as active_from_quarter,
        nullif(cast(active_to_quarter as varchar), '') as active_to_quarter

    from organisations

)

select * from final
