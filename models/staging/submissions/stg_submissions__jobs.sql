with

source as (

    select * from {{ source('submissions', 'banen') }}

),

renamed as (

    select
        submission_id,
        cast(source_row as integer) as source_row,
        traject_id,
        cast(baan_nr as integer) as job_number,
        cast(startdatum as date) as start_date,
        cast(einddatum as date) as end_date,
        cast(uren_per_week as double) as hours_per_week,
        cast(loonwaarde_pct as integer) as wage_value_pct,
        cast(contractduur_maanden as integer) as contract_months,
        contractsoort as contract_kind,
        cast(is_quarantined as boolean) as is_quarantined

    from source

)

select * from renamed
