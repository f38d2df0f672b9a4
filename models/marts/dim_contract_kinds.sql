with

contract_kinds as (

    select * from {{ ref('contract_kinds') }}

),

final as (

    select
        cast(contract_kind as varchar) as contract_kind,
        cast(label_nl as varchar) as label_nl,
        cast(label_en as varchar) as label_en,
        cast(sort_order as integer) as sort_order

    from contract_kinds

)

select * from final
