-- fct_organisation_quarters, quarters of this build: one row per submission,
-- one per organisation and quarter, registered organisations and known quarters.
{{ config(meta={'dagster': {'asset_key': ['fct_organisation_quarters']}}) }}

with

deliveries as (

    select * from {{ ref('fct_organisation_quarters') }}

    where {{ quarter_filter('quarter') }}

),

problems as (

    select
        'duplicate submission_id' as problem,
        submission_id as value
    from deliveries
    group by submission_id
    having count(*) > 1

    union all
    select
        'two deliveries for one organisation and quarter' as problem,
        organisation_code || ' ' || quarter as value
    from deliveries
    group by organisation_code, quarter
    having count(*) > 1

    union all
    select
        'unknown quarter' as problem,
        quarter as value
    from deliveries
    where quarter not in (select dim.quarter from {{ ref('dim_quarters') }} as dim)

    union all
    select
        'unknown organisation_code' as problem,
        organisation_code as value
    from deliveries
    where organisation_code not in (
            select dim.organisation_code from {{ ref('dim_organisations') }} as dim
        )

)

select * from problems
