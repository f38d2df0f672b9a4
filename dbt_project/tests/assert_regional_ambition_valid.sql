-- regional_ambition: one row per region and quarter, known quarters, regions
-- and divisions (the seeds).
{{ config(meta={'dagster': {'asset_key': ['regional_ambition']}}) }}

with

ambition as (

    select * from {{ ref('regional_ambition') }}

),

problems as (

    select
        'duplicate region and quarter' as problem,
        region_code || ' ' || quarter as value
    from ambition
    group by region_code, quarter
    having count(*) > 1

    union all
    select
        'unknown quarter' as problem,
        quarter as value
    from ambition
    where quarter not in (select dim.quarter from {{ ref('dim_quarters') }} as dim)

    union all
    select
        'unknown region_code' as problem,
        region_code as value
    from ambition
    where region_code not in (select dim.region_code from {{ ref('dim_regions') }} as dim)

    union all
    select
        'unknown division_code' as problem,
        division_code as value
    from ambition
    where division_code not in (select divisions.division_code from {{ ref('divisions') }} as divisions)

)

select * from problems
