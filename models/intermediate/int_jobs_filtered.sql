{#- Job rows of the current submissions whose own row and whose trajectory are
    not quarantined, with the trajectory's quarter and active window. -#}

with

jobs as (

    select * from {{ ref('stg_submissions__jobs') }}

),

trajectories as (

    select * from {{ ref('int_trajectories_filtered') }}

),

final as (

    select
        trajectories.quarter,
        trajectories.organisation_code,
        jobs.traject_id,
        jobs.job_number,
        jobs.submission_id,
        jobs.source_row,
        jobs.start_date,
        jobs.end_date,
        jobs.hours_per_week,
        jobs.wage_value_pct,
        jobs.contract_months,
        jobs.contract_kind,
        trajectories.trajectory_type,
        trajectories.start_date as trajectory_start_date,
        trajectories.end_date as trajectory_end_date,
        trajectories.active_from_date,
        trajectories.active_to_date

    from jobs

    inner join trajectories
        on
            jobs.submission_id = trajectories.submission_id
            and jobs.traject_id = trajectories.traject_id

    where not coalesce(jobs.is_quarantined, false)

)

select * from final
