{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='quarter',
        on_schema_change='append_new_columns',
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

    select
        quarter,
        trajectory_quarter_id,
        organisation_code,
        traject_id,
        submission_id,
        region_code,
        trajectory_type,
        ips_scheme,
        ips_phase,
        financing,
        financing_detail,
        start_date,
        end_date,
        exit_reason,
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
        outflow_category,
        has_intended_result,
        first_job_start_date,
        days_to_first_job,
        first_job_day_band,
        employment_months,
        employment_band,
        end_month_since_start

    from trajectory_quarters

    where {{ quarter_filter('quarter') }}

)

select * from final
