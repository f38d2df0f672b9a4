-- fct_trajectory_quarters, quarters of this build: one row per
-- trajectory_quarter_id, and every code known to the reference data (the
-- seeds, through the dims). One test instead of a unique, three
-- relationships and seven accepted_values tests; types and not-null are the
-- contract's.
{{ config(meta={'dagster': {'asset_key': ['fct_trajectory_quarters']}}) }}

with

facts as (

    select * from {{ ref('fct_trajectory_quarters') }}

    where {{ quarter_filter('quarter') }}

),

problems as (

    select
        'duplicate trajectory_quarter_id' as problem,
        trajectory_quarter_id as value
    from facts
    group by trajectory_quarter_id
    having count(*) > 1

    union all
    select
        'unknown quarter' as problem,
        quarter as value
    from facts
    where quarter not in (select dim.quarter from {{ ref('dim_quarters') }} as dim)

    union all
    select
        'unknown organisation_code' as problem,
        organisation_code as value
    from facts
    where organisation_code not in (
            select dim.organisation_code from {{ ref('dim_organisations') }} as dim
        )

    union all
    select
        'unknown region_code' as problem,
        region_code as value
    from facts
    where region_code not in (select dim.region_code from {{ ref('dim_regions') }} as dim)

    union all
    select
        'unknown trajectory_type' as problem,
        trajectory_type as value
    from facts
    where trajectory_type not in (
            select dim.trajectory_type from {{ ref('dim_trajectory_types') }} as dim
        )

    union all
    select
        'unknown ips_scheme' as problem,
        ips_scheme as value
    from facts
    where ips_scheme not in (select dim.ips_scheme from {{ ref('dim_ips_schemes') }} as dim)

    union all
    select
        'unknown ips_phase' as problem,
        ips_phase as value
    from facts
    where ips_phase not in (select dim.ips_phase from {{ ref('dim_ips_phases') }} as dim)

    union all
    select
        'unknown financing' as problem,
        financing as value
    from facts
    where financing not in (select dim.financing from {{ ref('dim_financing_types') }} as dim)

    union all
    select
        'unknown outflow_category' as problem,
        outflow_category as value
    from facts
    where outflow_category not in ('paid_work', 'worked_before', 'never_worked')

    union all
    select
        'unknown first_job_day_band' as problem,
        first_job_day_band as value
    from facts
    where first_job_day_band not in ('0_30', '31_60', '61_150', '151_270', '271_plus')

    union all
    select
        'unknown employment_band' as problem,
        employment_band as value
    from facts
    where employment_band not in ('lt_6_months', '6_12_months', 'gt_12_months')

)

select * from problems
