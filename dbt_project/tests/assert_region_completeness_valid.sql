-- region_completeness, quarters of this build: known quarters and regions,
-- the statuses and marks of indicators.md, the mark matching the status;
-- and every quarter built so far has a row for each of the 35 regions.
{{ config(meta={'dagster': {'asset_key': ['region_completeness']}}) }}

with

completeness as (

    select * from {{ ref('region_completeness') }}

    where {{ quarter_filter('quarter') }}

),

-- every quarter of the table, not only this build's
built_quarters as (

    select distinct quarter from {{ ref('region_completeness') }}

),

expected as (

    select
        built_quarters.quarter,
        dim.region_code
    from built_quarters
    cross join {{ ref('dim_regions') }} as dim

),

problems as (

    {{ unknown_codes('completeness', [
        {'column': 'quarter', 'dim': 'dim_quarters'},
        {'column': 'region_code', 'dim': 'dim_regions'},
    ]) }}

    union all
    select
        'status and mark disagree' as problem,
        status || ' ' || mark as value
    from completeness
    where
        not (status = 'complete' and mark = '')
        and not (status in ('incomplete', 'no_data') and mark = '*')
        and not (status = 'no_provider' and mark = '**')

    union all
    select
        'region missing in a built quarter' as problem,
        expected.quarter || ' ' || expected.region_code as value
    from expected
    left join {{ ref('region_completeness') }} as region_completeness
        on
            expected.quarter = region_completeness.quarter
            and expected.region_code = region_completeness.region_code
    where region_completeness.region_code is null

)

select * from problems
