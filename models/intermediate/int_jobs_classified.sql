{#- Each job classified against the norms and against its trajectory's
    periods. A job overlaps a period when it starts on or before the period's
    end and has no end date or ends on or after the period's start. -#}

with

jobs as (

    select * from {{ ref('int_jobs_filtered') }}

),

norms as (

    select * from {{ ref('norms') }}

),

thresholds as (

    select
        max(case when norm_code = 'SUSTAINABLE_MIN_HOURS_PER_WEEK' then cast(value as double) end)
            as min_hours_per_week,
        max(case when norm_code = 'SUSTAINABLE_MIN_WAGE_VALUE_PCT' then cast(value as double) end)
            as min_wage_value_pct,
        max(case when norm_code = 'SUSTAINABLE_MIN_CONTRACT_MONTHS' then cast(value as double) end)
            as min_contract_months

    from norms

),

classified as (

    select
        jobs.*,
        coalesce(jobs.wage_value_pct, 100) as effective_wage_value_pct,
        jobs.contract_months is null as is_indefinite_contract,
        (
            jobs.hours_per_week >= thresholds.min_hours_per_week
            and coalesce(jobs.wage_value_pct, 100) >= thresholds.min_wage_value_pct
            and (
                jobs.contract_months is null
                or jobs.contract_months >= thresholds.min_contract_months
            )
        ) as is_sustainable,
        (
            jobs.start_date <= jobs.active_to_date
            and (jobs.end_date is null or jobs.end_date >= jobs.active_from_date)
        ) as overlaps_active_window,
        (
            jobs.start_date <= jobs.active_to_date
            and (jobs.end_date is null or jobs.end_date >= jobs.trajectory_start_date)
        ) as overlaps_trajectory_to_date,
        (
            jobs.start_date between jobs.active_from_date and jobs.active_to_date
            and jobs.start_date >= jobs.trajectory_start_date
        ) as starts_in_active_window,
        coalesce(
            jobs.end_date between jobs.active_from_date and jobs.active_to_date, false
        ) as ends_in_active_window,
        (
            jobs.start_date <= jobs.active_to_date
            and (jobs.end_date is null or jobs.end_date >= jobs.active_to_date)
        ) as overlaps_active_window_end,
        coalesce(
            jobs.start_date <= jobs.trajectory_end_date
            and (jobs.end_date is null or jobs.end_date >= jobs.trajectory_end_date),
            false
        ) as overlaps_trajectory_end_date

    from jobs

    cross join thresholds

),

final as (

    select
        *,
        case
            when overlaps_active_window_end
                then {{ whole_months_between('start_date', 'active_to_date') }}
        end as months_employed_at_window_end

    from classified

)

select * from final
