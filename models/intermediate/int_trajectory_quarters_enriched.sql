{#- One row per trajectory and quarter with every per-row flag the indicators
    count (docs/indicators.md). Job-based flags are computed for every row;
    the indicators only count them among running rows. -#}

with

trajectories as (

    select * from {{ ref('int_trajectories_filtered') }}

),

jobs as (

    select * from {{ ref('int_jobs_classified') }}

),

job_flags as (

    select
        submission_id,
        traject_id,
        bool_or(overlaps_active_window) as has_paid_work,
        bool_or(overlaps_active_window and is_sustainable) as has_sustainable_paid_work,
        bool_or(overlaps_trajectory_to_date) as has_ever_paid_work,
        bool_or(starts_in_active_window) as has_job_started,
        bool_or(ends_in_active_window) as has_job_ended_in_window,
        bool_or(overlaps_active_window_end) as has_job_at_window_end,
        bool_or(overlaps_trajectory_end_date) as has_job_at_end_date,
        bool_or(overlaps_trajectory_end_date and is_sustainable) as has_sustainable_job_at_end_date,
        -- first job held during the trajectory (see docs/indicators.md)
        min(start_date) filter (where overlaps_trajectory_to_date) as first_job_raw_start_date,
        -- the longest-running job held on the last day of the active window
        arg_min(
            months_employed_at_window_end,
            [epoch(start_date), job_number]
        ) filter (where overlaps_active_window_end) as employment_months

    from jobs

    group by submission_id, traject_id

),

joined as (

    select
        trajectories.*,
        coalesce(job_flags.has_paid_work, false) as has_paid_work,
        coalesce(job_flags.has_sustainable_paid_work, false) as has_sustainable_paid_work,
        coalesce(job_flags.has_ever_paid_work, false) as has_ever_paid_work,
        coalesce(job_flags.has_job_started, false) as has_job_started,
        coalesce(job_flags.has_job_ended_in_window, false) as has_job_ended_in_window,
        coalesce(job_flags.has_job_at_window_end, false) as has_job_at_window_end,
        coalesce(job_flags.has_job_at_end_date, false) as has_job_at_end_date,
        coalesce(job_flags.has_sustainable_job_at_end_date, false)
            as has_sustainable_job_at_end_date,
        job_flags.first_job_raw_start_date,
        job_flags.employment_months

    from trajectories

    left join job_flags
        on
            trajectories.submission_id = job_flags.submission_id
            and trajectories.traject_id = job_flags.traject_id

),

populations as (

    select
        *,
        {{ is_orientation() }} as is_orientation,
        not {{ is_orientation() }} as is_running,
        coalesce(end_date between quarter_start_date and quarter_end_date, false) as ends_in_quarter,
        -- greatest() skips nulls in DuckDB: keep "no job" null
        case
            when first_job_raw_start_date is not null
                then greatest(first_job_raw_start_date, start_date)
        end as first_job_start_date

    from joined

),

flags as (

    select
        *,
        is_running and start_date between quarter_start_date and quarter_end_date as is_started,
        is_running and ends_in_quarter as is_ended,
        is_orientation and ends_in_quarter as is_orientation_ended,
        has_job_ended_in_window and not has_job_at_window_end as has_job_stopped,
        cast(date_diff('day', start_date, first_job_start_date) as integer) as days_to_first_job

    from populations

),

final as (

    select
        quarter,
        organisation_code || '|' || quarter || '|' || traject_id as trajectory_quarter_id,
        organisation_code,
        traject_id,
        submission_id,
        source_row,
        region_code,
        trajectory_type,
        ips_scheme,
        ips_phase,
        financing,
        financing_detail,
        start_date,
        end_date,
        exit_reason,
        quarter_start_date,
        quarter_end_date,
        active_from_date,
        active_to_date,
        is_orientation,
        is_running,
        is_started,
        is_ended,
        is_orientation_ended,
        has_paid_work,
        has_sustainable_paid_work,
        has_ever_paid_work,
        has_job_started,
        has_job_stopped,
        has_education,
        has_trial_placement,
        has_volunteer_work,
        has_day_activity,
        has_job_at_window_end,
        has_job_at_end_date,
        case
            when not is_ended then null
            when has_job_at_end_date then 'paid_work'
            when has_ever_paid_work then 'worked_before'
            else 'never_worked'
        end as outflow_category,
        case
            when not is_ended then null
            when trajectory_type = 'IPS'
                then has_ever_paid_work or coalesce(exit_reason = 'OPLEIDING', false)
            when trajectory_type = 'WABZ'
                then
                    has_ever_paid_work
                    or coalesce(has_volunteer_work, false)
                    or coalesce(has_trial_placement, false)
                    or coalesce(has_day_activity, false)
            when trajectory_type = 'JOBCOACHING' then has_job_at_end_date
            when trajectory_type = 'WERKFIT'
                then coalesce(exit_reason in ('WERKFIT', 'BAAN'), false) or has_job_at_end_date
            when trajectory_type = 'NAAR_WERK' then has_sustainable_job_at_end_date
            else has_ever_paid_work
        end as has_intended_result,
        first_job_start_date,
        days_to_first_job,
        case
            when days_to_first_job is null then null
            when days_to_first_job <= 30 then '0_30'
            when days_to_first_job <= 60 then '31_60'
            when days_to_first_job <= 150 then '61_150'
            when days_to_first_job <= 270 then '151_270'
            else '271_plus'
        end as first_job_day_band,
        case when trajectory_type = 'JOBCOACHING' then employment_months end as employment_months,
        case
            when trajectory_type <> 'JOBCOACHING' or employment_months is null then null
            when employment_months < 6 then 'lt_6_months'
            when employment_months <= 12 then '6_12_months'
            else 'gt_12_months'
        end as employment_band,
        -- time in trajectory at the end (indicators.md, "Months since start")
        {{ months_since_start('start_date', 'end_date') }} as end_month_since_start

    from flags

)

select * from final
