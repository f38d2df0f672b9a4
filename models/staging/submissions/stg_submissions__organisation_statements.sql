with

source as (

    select * from {{ source('submissions', 'organisatie') }}

),

renamed as (

    select
        submission_id,
        cast(source_row as integer) as source_row,
        organisatie_code as organisation_code,
        upper(kwartaal) as quarter,
        cast(fte_trajectbegeleiding as double) as employment_specialist_fte

    from source

)

select * from renamed
