{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='as_of_quarter',
        on_schema_change='append_new_columns',
    )
}}

{#- Share ever in (sustainable) paid work by month since start, per as-of
    quarter and breakdown: the Aalen-Johansen cumulative incidence with ending
    without work as a competing event (indicators.md, "Outcomes by time since
    start"), and its 95% band as lifelines' AalenJohansenFitter computes it:
    Collett's Greenwood-type variance and the log(-log) transform (docs/
    indicators.md, cohort section). Months 1-36, up to the last month in
    which anyone is at risk. -#}

with

removals as (

    select * from {{ ref('int_cohort_removals_broken_down') }}

    where {{ as_of_quarter_filter('as_of_quarter') }}

),

groups as (

    select
        as_of_quarter,
        level,
        region_code,
        trajectory_type,
        financing,
        ips_scheme,
        start_cohort,
        outcome,
        cast(sum(events + ended_without + censored) as bigint) as cohort_size,
        least(max(month), 36) as last_month

    from removals

    group by all

),

month_grid as (

    select
        *,
        unnest(range(1, last_month + 1)) as month

    from groups

),

counted as (

    select
        month_grid.as_of_quarter,
        month_grid.level,
        month_grid.region_code,
        month_grid.trajectory_type,
        month_grid.financing,
        month_grid.ips_scheme,
        month_grid.start_cohort,
        month_grid.outcome,
        month_grid.month,
        month_grid.cohort_size,
        coalesce(removals.events, 0) as events,
        coalesce(removals.ended_without, 0) as ended_without,
        coalesce(removals.censored, 0) as censored

    from month_grid

    left join removals
        on
            month_grid.as_of_quarter = removals.as_of_quarter
            and month_grid.level = removals.level
            and month_grid.region_code is not distinct from removals.region_code
            and month_grid.trajectory_type = removals.trajectory_type
            and month_grid.financing = removals.financing
            and month_grid.ips_scheme = removals.ips_scheme
            and month_grid.start_cohort = removals.start_cohort
            and month_grid.outcome = removals.outcome
            and month_grid.month = removals.month

),

-- at risk in month m: everyone not removed in an earlier month
at_risk_counted as (

    select
        *,
        cohort_size - coalesce(
            cast(sum(events + ended_without + censored) over (
                partition by
                    as_of_quarter, level, region_code, trajectory_type, financing,
                    ips_scheme, start_cohort, outcome
                order by month
                rows between unbounded preceding and 1 preceding
            ) as bigint),
            0
        ) as at_risk

    from counted

),

-- S(m-1): the product of (1 - (events + ended_without) / at_risk) over the
-- months before m, 1 in month 1
survival_lagged as (

    select
        *,
        coalesce(
            product(1 - (events + ended_without) / at_risk) over (
                partition by
                    as_of_quarter, level, region_code, trajectory_type, financing,
                    ips_scheme, start_cohort, outcome
                order by month
                rows between unbounded preceding and 1 preceding
            ),
            1
        ) as previous_survival

    from at_risk_counted

),

incidence as (

    select
        *,
        sum(previous_survival * events / at_risk) over (
            partition by
                as_of_quarter, level, region_code, trajectory_type, financing,
                ips_scheme, start_cohort, outcome
            order by month
            rows between unbounded preceding and current row
        ) as cumulative_share

    from survival_lagged

),

-- lifelines' variance at month m, with F = cumulative_share, d = events +
-- ended_without, e = events, n = at_risk, S- = previous_survival:
--   sum_k d/(n(n-d)) (F(m) - F(k))^2 + sum_k S-^2 e (n-e)/n^3
--   - 2 sum_k S- e/n^2 (F(m) - F(k)),  k = 1..m,
-- expanded in powers of F(m) so each sum is one running window; undefined
-- (lifelines: NaN) in a month where everyone at risk leaves with an event
variance_terms as (

    select
        *,
        events + ended_without = at_risk as is_saturated,
        case
            when events + ended_without < at_risk
                then (events + ended_without) / (at_risk * (at_risk - (events + ended_without)))
        end as greenwood_weight,
        previous_survival ^ 2 * events * (at_risk - events) / at_risk ^ 3 as binomial_term,
        previous_survival * events / at_risk ^ 2 as covariance_weight

    from incidence

),

variance_sums as (

    select
        *,
        sum(greenwood_weight) over running_months as sum_weight,
        sum(greenwood_weight * cumulative_share) over running_months as sum_weight_share,
        sum(greenwood_weight * cumulative_share ^ 2) over running_months as sum_weight_share_squared,
        sum(binomial_term) over running_months as sum_binomial,
        sum(covariance_weight) over running_months as sum_covariance,
        sum(covariance_weight * cumulative_share) over running_months as sum_covariance_share

    from variance_terms

    window running_months as (
        partition by
            as_of_quarter, level, region_code, trajectory_type, financing,
            ips_scheme, start_cohort, outcome
        order by month
        rows between unbounded preceding and current row
    )

),

variances as (

    select
        *,
        case
            when not is_saturated
                then
                    sum_weight_share_squared
                    - 2 * cumulative_share * sum_weight_share
                    + cumulative_share ^ 2 * sum_weight
                    + sum_binomial
                    - 2 * (cumulative_share * sum_covariance - sum_covariance_share)
        end as share_variance

    from variance_sums

),

-- the band on the log(-log) scale, so it stays within 0..1; undefined where
-- the share is 0 or 1 or the variance is (lifelines: NaN)
bands as (

    select
        *,
        case
            when cumulative_share > 0 and cumulative_share < 1 and share_variance >= 0
                then ln(-ln(cumulative_share))
        end as transformed_share,
        case
            when cumulative_share > 0 and cumulative_share < 1 and share_variance >= 0
                then sqrt(share_variance) / (cumulative_share * abs(ln(cumulative_share)))
        end as transformed_standard_error

    from variances

),

final as (

    select
        as_of_quarter,
        level,
        region_code,
        trajectory_type,
        financing,
        ips_scheme,
        start_cohort,
        outcome,
        cast(month as integer) as month,
        cast(at_risk as integer) as at_risk,
        cast(events as integer) as events,
        cast(ended_without as integer) as ended_without,
        cast(censored as integer) as censored,
        cast(cumulative_share as double) as cumulative_share,
        -- exp(-exp(x)) falls as x rises: + z gives the lower bound (lifelines
        -- labels this column "upper")
        cast(
            exp(-exp(transformed_share + {{ normal_quantile_975() }} * transformed_standard_error))
            as double
        ) as ci_lower,
        cast(
            exp(-exp(transformed_share - {{ normal_quantile_975() }} * transformed_standard_error))
            as double
        ) as ci_upper

    from bands

)

select * from final
