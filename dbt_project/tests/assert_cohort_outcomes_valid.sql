-- cohort_outcomes (every as-of quarter): known as-of quarters and regions,
-- the levels, outcomes and months since start of indicators.md ("Outcomes
-- by time since start"). One test instead of two relationships and three
-- accepted_values tests; types and not-null are the contract's.
{{ config(meta={'dagster': {'asset_key': ['cohort_outcomes']}}) }}

with

outcomes as (

    select * from {{ ref('cohort_outcomes') }}

),

problems as (

    {{ unknown_codes('outcomes', [
        {'column': 'as_of_quarter', 'dim': 'dim_quarters', 'dim_column': 'quarter'},
        {'column': 'region_code', 'dim': 'dim_regions'},
    ]) }}

    union all
    select
        'unknown level' as problem,
        level as value
    from outcomes
    where level not in ('national', 'region')

    union all
    select
        'unknown outcome' as problem,
        outcome as value
    from outcomes
    where outcome not in ('paid_work', 'sustainable_paid_work')

    union all
    select
        'month outside 1-36' as problem,
        cast(month as varchar) as value
    from outcomes
    where month not between 1 and 36

)

select * from problems
