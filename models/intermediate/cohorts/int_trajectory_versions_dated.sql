{{
    config(
        materialized='incremental',
        unique_key='quarter',
        pre_hook="{{ delete_selected_quarters() }}",
    )
}}

{#- Every running row of every quarter's current submission (orientation and
    quarantined rows left out) is one version of its trajectory, keyed by
    (organisation_code, traject_id). Per version: its observed end (end date,
    else the end of the quarter it was delivered for), its first job and
    first sustainable job over [start_date, observed end] (each submission
    repeats the full job history, so the version's own jobs are the whole
    history) (indicators.md, "Outcomes by time since start"). A version only
    depends on its own quarter's submission: incremental per quarter like
    fct_trajectory_quarters, so one quarter's build reads one quarter of rows
    and jobs. -#}

with

trajectories as (

    select * from {{ ref('int_trajectories_filtered') }}

    where {{ quarter_filter('quarter') }}

),

jobs as (

    select * from {{ ref('int_jobs_classified') }}

    where {{ quarter_filter('quarter') }}

),

running_rows as (

    select
        *,
        coalesce(end_date, quarter_end_date) as observed_end_date

    from trajectories

    where
        not {{ is_orientation() }}
        and start_date is not null

),

-- jobs overlapping [trajectory start, observed end]; the observed end is the
-- end date even when that lies after the quarter
jobs_in_trajectory as (

    select
        submission_id,
        traject_id,
        start_date,
        is_sustainable

    from jobs

    where
        start_date <= coalesce(trajectory_end_date, active_to_date)
        and (end_date is null or end_date >= trajectory_start_date)

),

first_job_starts as (

    select
        submission_id,
        traject_id,
        min(start_date) as first_job_raw_start_date,
        min(start_date) filter (where is_sustainable) as first_sustainable_job_raw_start_date

    from jobs_in_trajectory

    group by submission_id, traject_id

),

joined as (

    select
        running_rows.*,
        -- a job that started before the trajectory counts from the start
        -- (greatest() skips nulls in DuckDB: keep "no job" null)
        case
            when first_job_starts.first_job_raw_start_date is not null
                then greatest(first_job_starts.first_job_raw_start_date, running_rows.start_date)
        end as first_job_date,
        case
            when first_job_starts.first_sustainable_job_raw_start_date is not null
                then
                    greatest(
                        first_job_starts.first_sustainable_job_raw_start_date,
                        running_rows.start_date
                    )
        end as first_sustainable_job_date

    from running_rows

    left join first_job_starts
        on
            running_rows.submission_id = first_job_starts.submission_id
            and running_rows.traject_id = first_job_starts.traject_id

),

final as (

    select
        organisation_code,
        traject_id,
        quarter,
        {{ column_list(cohort_version_attributes()) }}

    from joined

)

select * from final
