{{
    config(
        materialized='incremental',
        unique_key='quarter',
    )
}}

{#- Incremental so that a quarter once built (e.g. an empty quarter_to beyond
    the last delivery, which got completeness rows) stays listed when a later
    run without vars derives a shorter range.

    Every quarter of the monitor: from the first quarter (var first_quarter,
    2022Q4) up to the latest quarter any submission was delivered for, or
    quarter_to when that is later, so a quarter without deliveries still
    exists (and gets completeness rows). -#}

{%- set first_quarter = var('first_quarter') -%}
{%- set quarter_to = quarter_bound('quarter_to') -%}
{%- set floor_quarter = (quarter_to | string | upper) if quarter_to else first_quarter %}

with

submissions as (

    select * from {{ ref('stg_audit__submissions') }}

),

loaded_quarters as (

    select {{ quarter_start_date('quarter') }} as quarter_start_date

    from submissions

    where regexp_full_match(quarter, '\d{4}Q[1-4]')

),

bounds as (

    select
        {{ quarter_start_date("'" ~ first_quarter ~ "'") }} as first_start_date,
        greatest(
            coalesce(max(quarter_start_date), {{ quarter_start_date("'" ~ first_quarter ~ "'") }}),
            {{ quarter_start_date("'" ~ floor_quarter ~ "'") }}
        ) as last_start_date

    from loaded_quarters

),

series as (

    select cast(series_dates.series_date as date) as quarter_start_date

    from bounds

    cross join generate_series(
        cast(bounds.first_start_date as timestamp),
        cast(bounds.last_start_date as timestamp),
        interval 3 month
    ) as series_dates (series_date)

),

final as (

    select
        {{ quarter_of_date('quarter_start_date') }} as quarter,
        cast(year(quarter_start_date) as integer) as year,
        cast(quarter(quarter_start_date) as integer) as quarter_number,
        quarter_start_date,
        cast(quarter_start_date + interval 3 month - interval 1 day as date) as quarter_end_date,
        {{ quarter_of_date('quarter_start_date - interval 3 month') }} as previous_quarter,
        {{ quarter_of_date('quarter_start_date + interval 3 month') }} as next_quarter,
        'kwartaal ' || cast(quarter(quarter_start_date) as varchar)
        || ' van ' || cast(year(quarter_start_date) as varchar) as label_nl

    from series

)

select * from final
