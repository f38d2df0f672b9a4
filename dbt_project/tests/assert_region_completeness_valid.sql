-- region_completeness, quarters of this build: known quarters and regions,
-- the statuses and marks of indicators.md, the mark matching the status.
{{ config(meta={'dagster': {'asset_key': ['region_completeness']}}) }}

with

completeness as (

    select * from {{ ref('region_completeness') }}

    where {{ quarter_filter('quarter') }}

),

problems as (

    select
        'unknown quarter' as problem,
        quarter as value
    from completeness
    where quarter not in (select dim.quarter from {{ ref('dim_quarters') }} as dim)

    union all
    select
        'unknown region_code' as problem,
        region_code as value
    from completeness
    where region_code not in (select dim.region_code from {{ ref('dim_regions') }} as dim)

    union all
    select
        'status and mark disagree' as problem,
        status || ' ' || mark as value
    from completeness
    where
        not (status = 'complete' and mark = '')
        and not (status in ('incomplete', 'no_data') and mark = '*')
        and not (status = 'no_provider' and mark = '**')

)

select * from problems
