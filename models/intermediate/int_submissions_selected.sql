{#- The current version of each organisation's submission per quarter: the
    accepted one. The loader keeps at most one accepted row per organisation
    and quarter; if that ever breaks, the latest loaded wins here rather than
    double counting. -#}

with

submissions as (

    select * from {{ ref('stg_audit__submissions') }}

),

organisation_statements as (

    select * from {{ ref('stg_submissions__organisation_statements') }}

),

accepted_ranked as (

    select
        submission_id,
        organisation_code,
        quarter,
        file_path,
        first_loaded_at,
        load_order,
        row_number() over (
            partition by organisation_code, quarter
            order by load_order desc, submission_id desc
        ) as version_rank

    from submissions

    where status = 'accepted'

),

accepted as (

    select * from accepted_ranked

    where version_rank = 1

),

with_fte as (

    select
        accepted.submission_id,
        accepted.organisation_code,
        accepted.quarter,
        accepted.file_path,
        accepted.first_loaded_at,
        accepted.load_order,
        organisation_statements.employment_specialist_fte

    from accepted

    -- the loader writes exactly one organisatie row per submission
    left join organisation_statements
        on accepted.submission_id = organisation_statements.submission_id

),

final as (

    select
        submission_id,
        organisation_code,
        quarter,
        {{ quarter_start_date('quarter') }} as quarter_start_date,
        cast({{ quarter_start_date('quarter') }} + interval 3 month - interval 1 day as date)
            as quarter_end_date,
        file_path,
        first_loaded_at,
        load_order,
        employment_specialist_fte

    from with_fte

)

select * from final
