{{
    config(
        materialized='incremental',
        unique_key='quarter',
        pre_hook="{{ delete_selected_quarters(shift_to=1) }}",
    )
}}

{#- One row per quarter x breakdown x indicator (interface.md): the compared
    indicator rows of int_indicators_compared with labels and the changes
    against the previous quarter. Building quarters [from, to] rewrites
    [from, to + 1]: the quarter after the range compares against a quarter
    that may have changed. The pre-hook empties those quarters first, so a
    quarter whose rebuild yields no rows loses its old ones. -#}

with

compared as (

    select * from {{ ref('int_indicators_compared') }}

),

indicators as (

    select * from {{ ref('dim_indicators') }}

),

trajectory_types as (

    select * from {{ ref('dim_trajectory_types') }}

),

regions as (

    select * from {{ ref('dim_regions') }}

),

organisations as (

    select * from {{ ref('dim_organisations') }}

),

final as (

    select
        compared.quarter,
        {{ column_list(indicator_breakdown_columns(), 'compared.{c}') }},
        compared.indicator,
        compared.numerator,
        compared.denominator,
        compared.value,
        indicators.label_nl as indicator_label_nl,
        coalesce(trajectory_types.label_nl, 'Alle trajecten') as trajectory_type_label_nl,
        regions.region_name,
        organisations.organisation_name,
        compared.previous_numerator,
        compared.previous_denominator,
        compared.previous_value,
        compared.value - compared.previous_value as change_absolute,
        case
            when compared.kind <> 'share' and compared.previous_value <> 0
                then (compared.value - compared.previous_value) / compared.previous_value
        end as change_relative,
        case
            when compared.kind = 'share'
                then 100 * (compared.value - compared.previous_value)
        end as change_percentage_points,
        compared.like_for_like_numerator,
        compared.like_for_like_denominator,
        compared.like_for_like_value,
        compared.like_for_like_previous_numerator,
        compared.like_for_like_previous_denominator,
        compared.like_for_like_previous_value,
        cast(compared.like_for_like_organisations as integer) as like_for_like_organisations,
        compared.kind as indicator_kind

    from compared

    left join indicators
        on compared.indicator = indicators.indicator

    left join trajectory_types
        on compared.trajectory_type = trajectory_types.trajectory_type

    left join regions
        on compared.region_code = regions.region_code

    left join organisations
        on compared.organisation_code = organisations.organisation_code

)

select * from final
