-- fct_jobs, quarters of this build: one row per job_quarter_id, each job of a
-- trajectory row in fct_trajectory_quarters, contract kinds from the seed.
{{ config(meta={'dagster': {'asset_key': ['fct_jobs']}}) }}

with

jobs as (

    select * from {{ ref('fct_jobs') }}

    where {{ quarter_filter('quarter') }}

),

problems as (

    select
        'duplicate job_quarter_id' as problem,
        job_quarter_id as value
    from jobs
    group by job_quarter_id
    having count(*) > 1

    union all
    select
        'job without trajectory row' as problem,
        jobs.job_quarter_id as value
    from jobs
    where jobs.trajectory_quarter_id not in (
            select facts.trajectory_quarter_id from {{ ref('fct_trajectory_quarters') }} as facts
        )

    union all
    select
        'unknown contract_kind' as problem,
        contract_kind as value
    from jobs
    where contract_kind not in (
            select dim.contract_kind from {{ ref('dim_contract_kinds') }} as dim
        )

)

select * from problems
