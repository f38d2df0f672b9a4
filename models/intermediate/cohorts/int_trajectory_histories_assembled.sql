{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='as_of_quarter',
        on_schema_change='append_new_columns',
    )
}}

{#- One row per trajectory and as-of quarter Q: the trajectory as its latest
    running row of a quarter <= Q says (every attribute, the observed end and
    the first jobs come from that row), with the months since start of the
    first job, the first sustainable job, the end and the observed end
    (macro months_since_start). A trajectory stays in every later as-of
    quarter once it has appeared. Rebuilding from quarter_from replaces that
    as-of quarter and every later one (macro as_of_quarter_filter). -#}

with

versions as (

    select * from {{ ref('int_trajectory_versions_dated') }}

),

quarters as (

    select * from {{ ref('dim_quarters') }}

),

as_of_quarters as (

    select quarter as as_of_quarter

    from quarters

    where {{ as_of_quarter_filter('quarter') }}

),

-- the version valid as of Q: delivered in Q or before, and no later version
-- delivered by Q
latest_versions as (

    select
        as_of_quarters.as_of_quarter,
        versions.*

    from versions

    inner join as_of_quarters
        on
            versions.quarter <= as_of_quarters.as_of_quarter
            and (
                versions.next_version_quarter is null
                or versions.next_version_quarter > as_of_quarters.as_of_quarter
            )

),

final as (

    select
        as_of_quarter,
        organisation_code || '|' || as_of_quarter || '|' || traject_id as trajectory_history_id,
        organisation_code,
        traject_id,
        quarter as latest_quarter,
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
        observed_end_date,
        first_job_date,
        first_sustainable_job_date,
        cast(year(start_date) as varchar) as start_year,
        {{ quarter_of_date('start_date') }} as start_quarter,
        {{ months_since_start('start_date', 'first_job_date') }} as first_job_month,
        {{ months_since_start('start_date', 'first_sustainable_job_date') }}
            as first_sustainable_job_month,
        {{ months_since_start('start_date', 'end_date') }} as end_month,
        {{ months_since_start('start_date', 'observed_end_date') }} as observed_end_month

    from latest_versions

)

select * from final
