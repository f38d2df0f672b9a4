with

source as (

    select * from {{ source('audit', 'submissions') }}

),

renamed as (

    select
        submission_id,
        file_path,
        file_format,
        organisation_code,
        upper(quarter) as quarter,
        content_hash,
        cast(first_loaded_at as timestamp) as first_loaded_at,
        cast(load_order as bigint) as load_order,
        status,
        cast(rows_accepted as integer) as rows_accepted,
        cast(rows_quarantined as integer) as rows_quarantined,
        rejection_reason,
        superseded_by

    from source

)

select * from renamed
