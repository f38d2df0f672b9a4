{{
    config(
        materialized='incremental',
        unique_key='as_of_quarter',
        pre_hook="{{ delete_selected_as_of_quarters() }}",
    )
}}

{#- One row per trajectory and as-of quarter Q: the trajectory as its latest
    running row of a quarter <= Q says (every attribute, the observed end and
    the first jobs come from that row), with the months since start of the
    first job, the first sustainable job, the end and the observed end
    (macro months_since_start). A trajectory stays in every later as-of
    quarter once it has appeared. Rebuilding from quarter_from replaces that
    as-of quarter and every later one (macro as_of_quarter_filter).

    Why the previous as-of quarter: on an incremental build from quarter F,
    the history as of F - 1 (kept, already current) holds each trajectory's
    latest version before F, so only the versions of F and later need to be
    read and ordered, not the whole history; without that history (first
    build, a gap) every version is read. -#}

{%- set quarter_from = quarter_bound('quarter_from') -%}
{%- set from_previous = is_incremental() and quarter_from -%}
{%- if from_previous -%}
    {%- set previous_as_of = shift_quarter(quarter_from | string | upper, -1) -%}
{%- endif %}

with

all_versions as (

    select * from {{ ref('int_trajectory_versions_dated') }}

),

-- the latest version before quarter_from per trajectory, as a version: read
-- from the kept history as of quarter_from - 1 (none on a first build)
previous_versions as (

    {% if from_previous %}
    select
        organisation_code,
        traject_id,
        latest_quarter as quarter,
        {{ column_list(cohort_version_attributes()) }}

    from {{ this }}

    where as_of_quarter = '{{ previous_as_of }}'
    {% else %}
        select * from all_versions

        where false
    {% endif %}

),

-- every version from quarter_from on, and the earlier ones only through
-- previous_versions when that history exists
versions as (

    select * from all_versions

    {% if from_previous %}
    where
        quarter >= '{{ quarter_from | string | upper }}'
        or not exists (select 1 from previous_versions)
    {% endif %}

    union all by name

    select * from previous_versions

),


quarters as (

    select * from {{ ref('dim_quarters') }}

),

as_of_quarters as (

    select quarter as as_of_quarter

    from quarters

    where {{ as_of_quarter_filter('quarter') }}

),

-- a version is the latest row for the as-of quarters from its own quarter up
-- to the one before the trajectory's next version
versions_bounded as (

    select
        *,
        lead(quarter) over (
            partition by organisation_code, traject_id
            order by quarter
        ) as next_version_quarter

    from versions

),

-- the version valid as of Q: delivered in Q or before, and no later version
-- delivered by Q
latest_versions as (

    select
        as_of_quarters.as_of_quarter,
        versions_bounded.*

    from versions_bounded

    inner join as_of_quarters
        on
            versions_bounded.quarter <= as_of_quarters.as_of_quarter
            and (
                versions_bounded.next_version_quarter is null
                or versions_bounded.next_version_quarter > as_of_quarters.as_of_quarter
            )

),

final as (

    select
        as_of_quarter,
        organisation_code || '|' || as_of_quarter || '|' || traject_id as trajectory_history_id,
        organisation_code,
        traject_id,
        quarter as latest_quarter,
        {{ column_list(cohort_version_attributes()) }},
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
