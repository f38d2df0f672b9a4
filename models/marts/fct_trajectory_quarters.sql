{{
    config(
        materialized='incremental',
        unique_key='quarter',
        pre_hook="{{ delete_selected_quarters() }}",
    )
}}

{#- Rebuilding a quarter replaces exactly that quarter's rows
    (delete+insert on quarter); the quarter_filter macro limits the build to
    the quarters selected with the vars quarter_from / quarter_to. -#}

with

trajectory_quarters as (

    select * from {{ ref('int_trajectory_quarters_enriched') }}

),

final as (

    -- every column of the enriched rows but the row's place in its file and
    -- the quarter bounds (the contract in _marts__models.yml lists them)
    select * exclude (source_row, quarter_start_date, quarter_end_date)

    from trajectory_quarters

    where {{ quarter_filter('quarter') }}

)

select * from final
