{#- Per as-of quarter, outcome and combination of the breakdown columns: how
    many trajectories leave the risk set in each month since start, and how.
    A trajectory leaves with the event in the month of its first (sustainable)
    job; without the event but with an end date, with a competing end
    (ended_without) in the month of its end; otherwise it is censored in the
    month of its observed end (indicators.md, "Outcomes by time since start").
    Months after 36 are pooled as month 37: those trajectories are at risk in
    every month the mart shows. -#}

with

histories as (

    select * from {{ ref('int_trajectory_histories_assembled') }}

    where {{ as_of_quarter_filter('as_of_quarter') }}

),

outcomes as (

    select outcome_list.outcome

    from (values ('paid_work'), ('sustainable_paid_work')) as outcome_list (outcome)

),

removals as (

    select
        histories.as_of_quarter,
        {{ column_list(cohort_removal_breakdown(), 'histories.{c}') }},
        outcomes.outcome,
        case
            when outcomes.outcome = 'paid_work' then histories.first_job_month
            else histories.first_sustainable_job_month
        end as event_month,
        histories.end_month,
        histories.observed_end_month

    from histories

    cross join outcomes

),

classified as (

    select
        *,
        case
            when event_month is not null then 'events'
            when end_month is not null then 'ended_without'
            else 'censored'
        end as removal_kind,
        least(coalesce(event_month, end_month, observed_end_month), 37) as removal_month

    from removals

),

final as (

    select
        as_of_quarter,
        {{ column_list(cohort_removal_breakdown()) }},
        outcome,
        removal_month as month,
        {{ column_list(
            cohort_removal_counts(),
            "cast(count(*) filter (where removal_kind = '{c}') as integer) as {c}",
        ) }}

    from classified

    group by all

)

select * from final
