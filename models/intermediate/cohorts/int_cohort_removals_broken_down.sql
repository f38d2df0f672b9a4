{#- The removal counts per month summed into the mart's breakdowns, each with
    the other breakdown columns ALL (indicators.md, "The cohort mart"):
    nationally trajectory type (incl. ALL), type x financing (incl. ALL x
    financing) and IPS x ips_scheme, each for start cohort ALL, every year and
    every quarter; per region trajectory type ALL and IPS for start cohort ALL
    and every year. Counted per combination first (int_cohort_removals_counted),
    so the fan-out multiplies thousands of rows, not trajectories. -#}

with

removals as (

    select * from {{ ref('int_cohort_removals_counted') }}

    where {{ as_of_quarter_filter('as_of_quarter') }}

),

typed as (

    select
        *,
        trajectory_type as breakdown_trajectory_type

    from removals

    union all

    select
        *,
        'ALL' as breakdown_trajectory_type

    from removals

),

national as (

    -- trajectory type (incl. ALL)
    select
        *,
        'ALL' as breakdown_financing,
        'ALL' as breakdown_ips_scheme

    from typed

    union all

    -- type x financing (incl. ALL x financing)
    select
        *,
        financing as breakdown_financing,
        'ALL' as breakdown_ips_scheme

    from typed

    where financing is not null

    union all

    -- IPS x ips_scheme
    select
        *,
        'ALL' as breakdown_financing,
        ips_scheme as breakdown_ips_scheme

    from typed

    where breakdown_trajectory_type = 'IPS' and ips_scheme is not null

),

national_cohorts as (

    select
        *,
        'national' as level,
        cast(null as varchar) as breakdown_region_code,
        unnest(['ALL', start_year, start_quarter]) as start_cohort

    from national

),

region_cohorts as (

    select
        *,
        'ALL' as breakdown_financing,
        'ALL' as breakdown_ips_scheme,
        'region' as level,
        region_code as breakdown_region_code,
        unnest(['ALL', start_year]) as start_cohort

    from typed

    where breakdown_trajectory_type in ('ALL', 'IPS') and region_code is not null

),

fanned_out as (

    select * from national_cohorts

    union all by name

    select * from region_cohorts

),

final as (

    select
        as_of_quarter,
        level,
        breakdown_region_code as region_code,
        breakdown_trajectory_type as trajectory_type,
        breakdown_financing as financing,
        breakdown_ips_scheme as ips_scheme,
        start_cohort,
        outcome,
        month,
        cast(sum(events) as integer) as events,
        cast(sum(ended_without) as integer) as ended_without,
        cast(sum(censored) as integer) as censored

    from fanned_out

    group by all

)

select * from final
