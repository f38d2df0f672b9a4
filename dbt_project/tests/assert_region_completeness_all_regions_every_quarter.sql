-- Every quarter of dim_quarters that was built has a row for each of the 35 regions.
{{ config(meta={'dagster': {'asset_key': ['region_completeness']}}) }}

with

built_quarters as (

    select distinct quarter from {{ ref('region_completeness') }}

),

regions as (

    select region_code from {{ ref('dim_regions') }}

),

expected as (

    select
        built_quarters.quarter,
        regions.region_code

    from built_quarters

    cross join regions

)

select expected.*

from expected

left join {{ ref('region_completeness') }} as region_completeness
    on
        expected.quarter = region_completeness.quarter
        and expected.region_code = region_completeness.region_code

where region_completeness.region_code is null
