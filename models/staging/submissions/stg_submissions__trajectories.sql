with

source as (

    select * from {{ source('submissions', 'trajecten') }}

),

renamed as (

    select
        submission_id,
        cast(source_row as integer) as source_row,
        traject_id,
        upper(arbeidsmarktregio) as region_code,
        trajecttype as trajectory_type,
        ips_regeling as ips_scheme,
        fase as ips_phase,
        financiering as financing,
        financiering_detail as financing_detail,
        cast(startdatum as date) as start_date,
        cast(einddatum as date) as end_date,
        uitstroomreden as exit_reason,
        cast(opleiding as boolean) as has_education,
        cast(proefplaatsing as boolean) as has_trial_placement,
        cast(vrijwilligerswerk as boolean) as has_volunteer_work,
        cast(dagbesteding as boolean) as has_day_activity,
        cast(is_quarantined as boolean) as is_quarantined

    from source

)

select * from renamed
