{{
    config(
        materialized='incremental',
        unique_key='as_of_quarter',
        pre_hook="{{ delete_selected_as_of_quarters() }}",
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

-- one integer id per curve, so the running windows below sort on it and
-- carry only numbers; the breakdown columns are joined back at the end
removals_numbered as (

    select
        *,
        dense_rank() over (
            order by {{ cohort_curve_columns() | join(', ') }}
        ) as curve_id

    from removals

),

curves as (

    select
        curve_id,
        {{ column_list(cohort_curve_columns(), 'any_value({c}) as {c}') }},
        cast(sum({{ cohort_removal_counts() | join(" + ") }}) as bigint) as cohort_size,
        least(max(month), 36) as last_month

    from removals_numbered

    group by curve_id

),

month_grid as (

    select
        curve_id,
        cohort_size,
        unnest(range(1, last_month + 1)) as month

    from curves

),

counted as (

    select
        month_grid.curve_id,
        month_grid.month,
        month_grid.cohort_size,
        {{ column_list(cohort_removal_counts(), 'coalesce(removals_numbered.{c}, 0) as {c}') }}

    from month_grid

    left join removals_numbered
        on
            month_grid.curve_id = removals_numbered.curve_id
            and month_grid.month = removals_numbered.month

),

-- at risk in month m: everyone not removed in an earlier month
at_risk_counted as (

    select
        *,
        cohort_size - coalesce(
            cast(sum({{ cohort_removal_counts() | join(" + ") }}) over (
                partition by curve_id
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
                partition by curve_id
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
            partition by curve_id
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
        partition by curve_id
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
        {{ column_list(cohort_curve_columns(), 'curves.{c}') }},
        cast(bands.month as integer) as month,
        cast(bands.at_risk as integer) as at_risk,
        {{ column_list(cohort_removal_counts(), 'cast(bands.{c} as integer) as {c}') }},
        cast(bands.cumulative_share as double) as cumulative_share,
        -- exp(-exp(x)) falls as x rises: + z gives the lower bound (lifelines
        -- labels this column "upper")
        cast(
            exp(-exp(bands.transformed_share + {{ normal_quantile_975() }} * bands.transformed_standard_error))
            as double
        ) as ci_lower,
        cast(
            exp(-exp(bands.transformed_share - {{ normal_quantile_975() }} * bands.transformed_standard_error))
            as double
        ) as ci_upper

    from bands

    inner join curves
        on bands.curve_id = curves.curve_id

)

select * from final
