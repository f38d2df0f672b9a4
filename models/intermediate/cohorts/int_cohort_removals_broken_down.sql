{#- The removal counts per month summed into the mart's breakdowns, each with
    the other breakdown columns ALL (indicators.md, "The cohort mart"):
    nationally trajectory type (incl. ALL), type x financing (incl. ALL x
    financing) and IPS x ips_scheme, each for start cohort ALL, every year and
    every quarter; per region trajectory type ALL and IPS for start cohort ALL
    and every year. The counts are first summed over the columns a level does
    not break down by, so the fan-out copies tens of thousands of rows, not
    every combination. -#}

with

removals as (

    select * from {{ ref('int_cohort_removals_counted') }}

    where {{ as_of_quarter_filter('as_of_quarter') }}

),

national_base as (

    select
        as_of_quarter,
        trajectory_type,
        financing,
        ips_scheme,
        start_year,
        start_quarter,
        outcome,
        month,
        {{ column_list(cohort_removal_counts(), 'sum({c}) as {c}') }}

    from removals

    group by all

),

region_base as (

    select
        as_of_quarter,
        region_code,
        trajectory_type,
        start_year,
        outcome,
        month,
        {{ column_list(cohort_removal_counts(), 'sum({c}) as {c}') }}

    from removals

    where region_code is not null

    group by all

),

national_typed as (

    select
        *,
        trajectory_type as breakdown_trajectory_type

    from national_base

    union all

    select
        *,
        'ALL' as breakdown_trajectory_type

    from national_base

),

national as (

    -- trajectory type (incl. ALL)
    select
        *,
        'ALL' as breakdown_financing,
        'ALL' as breakdown_ips_scheme

    from national_typed

    union all

    -- type x financing (incl. ALL x financing)
    select
        *,
        financing as breakdown_financing,
        'ALL' as breakdown_ips_scheme

    from national_typed

    where financing is not null

    union all

    -- IPS x ips_scheme
    select
        *,
        'ALL' as breakdown_financing,
        ips_scheme as breakdown_ips_scheme

    from national_typed

    where breakdown_trajectory_type = 'IPS' and ips_scheme is not null

),

national_cohorts as (

    select
        as_of_quarter,
        'national' as level,
        cast(null as varchar) as region_code,
        breakdown_trajectory_type as trajectory_type,
        breakdown_financing as financing,
        breakdown_ips_scheme as ips_scheme,
        unnest(['ALL', start_year, start_quarter]) as start_cohort,
        outcome,
        month,
        {{ column_list(cohort_removal_counts()) }}

    from national

),

region_typed as (

    select
        *,
        'ALL' as breakdown_trajectory_type

    from region_base

    union all

    select
        *,
        trajectory_type as breakdown_trajectory_type

    from region_base

    where trajectory_type = 'IPS'

),

region_cohorts as (

    select
        as_of_quarter,
        'region' as level,
        region_code,
        breakdown_trajectory_type as trajectory_type,
        'ALL' as financing,
        'ALL' as ips_scheme,
        unnest(['ALL', start_year]) as start_cohort,
        outcome,
        month,
        {{ column_list(cohort_removal_counts()) }}

    from region_typed

),

fanned_out as (

    select * from national_cohorts

    union all

    select * from region_cohorts

),

final as (

    select
        {{ column_list(cohort_curve_columns()) }},
        month,
        {{ column_list(cohort_removal_counts(), 'cast(sum({c}) as integer) as {c}') }}

    from fanned_out

    group by all

)

select * from final
