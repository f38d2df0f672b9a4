{#- Trajectory rows of the current submissions, quarantined rows left out,
    with the quarter and the trajectory's active window in the quarter:
    [max(quarter start, start_date), min(quarter end, end_date or quarter end)]. -#}

with

trajectories as (

    select * from {{ ref('stg_submissions__trajectories') }}

),

submissions as (

    select * from {{ ref('int_submissions_selected') }}

),

current_rows as (

    select
        submissions.quarter,
        submissions.organisation_code,
        trajectories.traject_id,
        trajectories.submission_id,
        trajectories.source_row,
        trajectories.region_code,
        trajectories.trajectory_type,
        trajectories.ips_scheme,
        trajectories.ips_phase,
        trajectories.financing,
        trajectories.financing_detail,
        trajectories.start_date,
        trajectories.end_date,
        trajectories.exit_reason,
        trajectories.has_education,
        trajectories.has_trial_placement,
        trajectories.has_volunteer_work,
        trajectories.has_day_activity,
        submissions.quarter_start_date,
        submissions.quarter_end_date

    from trajectories

    inner join submissions
        on trajectories.submission_id = submissions.submission_id

    where not coalesce(trajectories.is_quarantined, false)

),

final as (

    select
        *,
        greatest(quarter_start_date, start_date) as active_from_date,
        least(quarter_end_date, coalesce(end_date, quarter_end_date)) as active_to_date

    from current_rows

)

select * from final
