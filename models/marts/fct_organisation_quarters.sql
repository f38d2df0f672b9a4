{{
    config(
        materialized='incremental',
        unique_key='quarter',
        pre_hook="{{ delete_selected_quarters() }}",
    )
}}

{#- Which organisations delivered (current accepted submission) per quarter,
    with their FTE and row counts: the base of clients_per_fte,
    like-for-like comparisons and completeness. -#}

with

submissions as (

    select * from {{ ref('int_submissions_selected') }}

),

trajectory_quarters as (

    select * from {{ ref('int_trajectory_quarters_enriched') }}

),

row_counts as (

    select
        submission_id,
        count(*) filter (where is_running) as running_trajectories,
        count(*) filter (where is_orientation) as orientation_trajectories

    from trajectory_quarters

    where {{ quarter_filter('quarter') }}

    group by submission_id

),

final as (

    select
        submissions.quarter,
        submissions.organisation_code,
        submissions.submission_id,
        submissions.file_path,
        submissions.first_loaded_at,
        submissions.employment_specialist_fte,
        cast(coalesce(row_counts.running_trajectories, 0) as integer) as running_trajectories,
        cast(coalesce(row_counts.orientation_trajectories, 0) as integer)
            as orientation_trajectories

    from submissions

    left join row_counts
        on submissions.submission_id = row_counts.submission_id

    where {{ quarter_filter('submissions.quarter') }}

)

select * from final
