with

source as (

    select * from {{ source('audit', 'quarantined_rows') }}

),

renamed as (

    select
        submission_id,
        sheet,
        cast(source_row as integer) as source_row,
        traject_id,
        column_name,
        value as delivered_value,
        rule_code,
        message

    from source

)

select * from renamed
