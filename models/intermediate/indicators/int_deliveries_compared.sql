{#- Per quarter of the build ([from - 1, to + 1]) each delivering
    organisation (current accepted submission), its FTE, and whether it
    also delivered in the quarter before / after: the base of the
    like-for-like comparison and of clients_per_fte. -#}

with

-- one quarter further back and ahead than the quarters compared
deliveries as (

    select * from {{ ref('int_submissions_selected') }}

    where {{ quarter_filter('quarter', shift_from=-2, shift_to=2) }}

),

compared as (

    select
        deliveries.quarter,
        deliveries.organisation_code,
        deliveries.employment_specialist_fte,
        previous_delivery.submission_id is not null as delivered_previous,
        next_delivery.submission_id is not null as delivered_next

    from deliveries

    left join deliveries as previous_delivery
        on
            deliveries.organisation_code = previous_delivery.organisation_code
            and previous_delivery.quarter = {{ add_quarters('deliveries.quarter', -1) }}

    left join deliveries as next_delivery
        on
            deliveries.organisation_code = next_delivery.organisation_code
            and next_delivery.quarter = {{ add_quarters('deliveries.quarter', 1) }}

),

final as (

    select * from compared

    where {{ quarter_filter('quarter', shift_from=-1, shift_to=1) }}

)

select * from final
