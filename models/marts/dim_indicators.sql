with

indicators as (

    select * from {{ ref('indicators') }}

),

final as (

    select
        cast(indicator as varchar) as indicator,
        cast(label_nl as varchar) as label_nl,
        cast(label_en as varchar) as label_en,
        cast(kind as varchar) as kind,
        cast(numerator_nl as varchar) as numerator_definition,
        cast(denominator_nl as varchar) as denominator_definition,
        cast(definition as varchar) as definition,
        cast(sort_order as integer) as sort_order

    from indicators

)

select * from final
