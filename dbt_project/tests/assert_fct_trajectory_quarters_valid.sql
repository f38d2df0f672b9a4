-- fct_trajectory_quarters, quarters of this build: one row per
-- trajectory_quarter_id, and every code known to the reference data (the
-- seeds, through the dims; the bands as the indicator catalogue counts
-- them), and the outflow categories partition the ended
-- rows. One test instead of a unique, three relationships, seven
-- accepted_values tests and a second singular test; types and not-null are
-- the contract's.
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
    {{ unknown_codes('facts', [
        {'column': 'quarter', 'dim': 'dim_quarters'},
        {'column': 'organisation_code', 'dim': 'dim_organisations'},
        {'column': 'region_code', 'dim': 'dim_regions'},
        {'column': 'trajectory_type', 'dim': 'dim_trajectory_types'},
        {'column': 'ips_scheme', 'dim': 'dim_ips_schemes'},
        {'column': 'ips_phase', 'dim': 'dim_ips_phases'},
        {'column': 'financing', 'dim': 'dim_financing_types'},
    ]) }}

    union all
    select
        'unknown outflow_category' as problem,
        outflow_category as value
    from facts
    where outflow_category not in ({{ catalogue_codes('outflow_category') }})

    union all
    select
        'unknown first_job_day_band' as problem,
        first_job_day_band as value
    from facts
    where first_job_day_band not in ({{ catalogue_codes('first_job_day_band') }})

    union all
    select
        'unknown employment_band' as problem,
        employment_band as value
    from facts
    where employment_band not in ({{ catalogue_codes('employment_band') }})

    -- every ended running row falls in exactly one outflow category, and
    -- only those do (every quarter of the table, not only this build's)
    union all
    select
        'outflow category or intended result disagrees with is_ended' as problem,
        trajectory_quarter_id as value
    from {{ ref('fct_trajectory_quarters') }}
    where
        (is_ended and (outflow_category is null or has_intended_result is null))
        or (not is_ended and (outflow_category is not null or has_intended_result is not null))
        or (is_orientation and is_running)

)

select * from problems
