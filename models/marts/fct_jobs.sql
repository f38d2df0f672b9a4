{{
    config(
        materialized='incremental',
        unique_key='quarter',
        pre_hook="{{ delete_selected_quarters() }}",
    )
}}

with

jobs as (

    select * from {{ ref('int_jobs_classified') }}

),

final as (

    select
        quarter,
        organisation_code || '|' || quarter || '|' || traject_id || '|' || cast(job_number as varchar)
            as job_quarter_id,
        organisation_code || '|' || quarter || '|' || traject_id as trajectory_quarter_id,
        organisation_code,
        traject_id,
        job_number,
        submission_id,
        start_date,
        end_date,
        hours_per_week,
        wage_value_pct,
        effective_wage_value_pct,
        contract_months,
        is_indefinite_contract,
        contract_kind,
        is_sustainable,
        overlaps_active_window,
        overlaps_trajectory_to_date,
        starts_in_active_window,
        ends_in_active_window,
        overlaps_active_window_end,
        overlaps_trajectory_end_date,
        months_employed_at_window_end

    from jobs

    where {{ quarter_filter('quarter') }}

)

select * from final
