{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='quarter',
        on_schema_change='append_new_columns',
    )
}}

{#- One row per quarter x breakdown x indicator (interface.md), with the
    previous quarter and a like-for-like comparison. Building quarters
    [from, to] rewrites [from, to + 1]: the quarter after the range compares
    against a quarter that may have changed. Facts of [from - 1, to + 1] are
    read; facts do not change when another quarter is rebuilt. -#}

with

trajectory_quarters as (

    select * from {{ ref('fct_trajectory_quarters') }}

    where {{ quarter_filter('quarter', shift_from=-1, shift_to=1) }}

),

-- the breakdowns below only group by these columns: counting per combination
-- first keeps the fan-out over scopes x levels x breakdowns small (thousands
-- of rows instead of one per trajectory)
trajectory_groups as (

    select
        quarter,
        organisation_code,
        region_code,
        trajectory_type,
        ips_scheme,
        ips_phase,
        financing,
        is_running,
        count(*) as row_count,
        count(*) filter (where is_orientation) as n_orientation,
        count(*) filter (where is_orientation_ended) as n_orientation_ended,
        count(*) filter (where is_running) as n_running,
        count(*) filter (where is_started) as n_started,
        count(*) filter (where is_ended) as n_ended,
        count(*) filter (where is_running and has_paid_work) as n_paid_work,
        count(*) filter (where is_running and has_sustainable_paid_work) as n_sustainable_paid_work,
        count(*) filter (where is_running and has_ever_paid_work) as n_ever_paid_work,
        count(*) filter (where is_running and has_job_started) as n_job_started,
        count(*) filter (where is_running and has_job_stopped) as n_job_stopped,
        count(*) filter (where is_running and has_education) as n_education,
        count(*) filter (where is_running and has_trial_placement) as n_trial_placement,
        count(*) filter (where is_running and has_volunteer_work) as n_volunteer_work,
        count(*) filter (where is_running and has_day_activity) as n_day_activity,
        count(*) filter (where is_ended and outflow_category = 'paid_work') as n_ended_with_paid_work,
        count(*) filter (where is_ended and outflow_category = 'worked_before') as n_ended_worked_before,
        count(*) filter (where is_ended and outflow_category = 'never_worked') as n_ended_never_worked,
        count(*) filter (where is_ended and has_intended_result) as n_ended_intended_result,
        count(*) filter (
            where is_running and has_paid_work and days_to_first_job <= 90
        ) as n_first_job_within_3_months,
        count(*) filter (
            where is_running and has_paid_work and days_to_first_job >= 271
        ) as n_first_job_after_9_months,
        count(*) filter (
            where is_running and has_paid_work and first_job_day_band = '0_30'
        ) as n_first_job_days_0_30,
        count(*) filter (
            where is_running and has_paid_work and first_job_day_band = '31_60'
        ) as n_first_job_days_31_60,
        count(*) filter (
            where is_running and has_paid_work and first_job_day_band = '61_150'
        ) as n_first_job_days_61_150,
        count(*) filter (
            where is_running and has_paid_work and first_job_day_band = '151_270'
        ) as n_first_job_days_151_270,
        count(*) filter (
            where is_running and has_paid_work and first_job_day_band = '271_plus'
        ) as n_first_job_days_271_plus,
        count(*) filter (
            where is_running and employment_band is not null
        ) as n_employed_at_window_end,
        count(*) filter (
            where is_running and employment_band = 'lt_6_months'
        ) as n_employment_lt_6_months,
        count(*) filter (
            where is_running and employment_band = '6_12_months'
        ) as n_employment_6_12_months,
        count(*) filter (
            where is_running and employment_band = 'gt_12_months'
        ) as n_employment_gt_12_months

    from trajectory_quarters

    group by all

),

-- deliveries_compared is needed for the quarters of trajectory_quarters; it
-- looks one quarter further back and ahead
deliveries as (

    select * from {{ ref('int_submissions_selected') }}

    where {{ quarter_filter('quarter', shift_from=-2, shift_to=2) }}

),

indicators as (

    select * from {{ ref('dim_indicators') }}

),

trajectory_types as (

    select * from {{ ref('dim_trajectory_types') }}

),

regions as (

    select * from {{ ref('dim_regions') }}

),

organisations as (

    select * from {{ ref('dim_organisations') }}

),

-- did each delivering organisation also deliver in the quarter before / after
deliveries_compared as (

    select
        deliveries.quarter,
        deliveries.organisation_code,
        deliveries.employment_specialist_fte,
        previous_delivery.submission_id is not null as delivered_previous,
        next_delivery.submission_id is not null as delivered_next

    from deliveries

    left join deliveries as previous_delivery
        on
            deliveries.organisation_code = previous_delivery.organisation_code
            and previous_delivery.quarter = {{ add_quarters('deliveries.quarter', -1) }}

    left join deliveries as next_delivery
        on
            deliveries.organisation_code = next_delivery.organisation_code
            and next_delivery.quarter = {{ add_quarters('deliveries.quarter', 1) }}

    where {{ quarter_filter('deliveries.quarter', shift_from=-1, shift_to=1) }}

),

quarter_comparisons as (

    select
        quarter,
        count(*) > 0 as has_deliveries,
        count(*) filter (where delivered_previous) > 0 as has_like_for_like

    from deliveries_compared

    group by quarter

),

-- scope all: every row; with_previous / with_next: only organisations that
-- also delivered in the previous / next quarter (like-for-like)
scoped_rows as (

    select
        scopes.scope,
        trajectory_groups.*,
        deliveries_compared.employment_specialist_fte

    from trajectory_groups

    inner join deliveries_compared
        on
            trajectory_groups.quarter = deliveries_compared.quarter
            and trajectory_groups.organisation_code = deliveries_compared.organisation_code

    inner join (values ('all'), ('with_previous'), ('with_next')) as scopes (scope)
        on
            scopes.scope = 'all'
            or (scopes.scope = 'with_previous' and deliveries_compared.delivered_previous)
            or (scopes.scope = 'with_next' and deliveries_compared.delivered_next)

),

-- every breakdown a row belongs to, at every level
breakdown_rows as (

    select
        scoped_rows.*,
        levels.level,
        case when levels.level = 'region' then scoped_rows.region_code end as breakdown_region_code,
        case
            when levels.level = 'organisation' then scoped_rows.organisation_code
        end as breakdown_organisation_code,
        case
            when breakdowns.breakdown in ('type', 'type_financing') then scoped_rows.trajectory_type
            when breakdowns.breakdown in ('ips_scheme', 'ips_phase') then 'IPS'
            else 'ALL'
        end as breakdown_trajectory_type,
        case
            when breakdowns.breakdown in ('type_financing', 'all_types_financing')
                then scoped_rows.financing
            else 'ALL'
        end as breakdown_financing,
        case
            when breakdowns.breakdown = 'ips_scheme' then scoped_rows.ips_scheme else 'ALL'
        end as breakdown_ips_scheme,
        case
            when breakdowns.breakdown = 'ips_phase' then scoped_rows.ips_phase else 'ALL'
        end as breakdown_ips_phase

    from scoped_rows

    cross join (values ('national'), ('region'), ('organisation')) as levels (level)

    inner join (
        values
        ('type'),
        ('type_financing'),
        ('all_types'),
        ('all_types_financing'),
        ('ips_scheme'),
        ('ips_phase')
    ) as breakdowns (breakdown)
        on
            breakdowns.breakdown in ('type', 'type_financing')
            or (breakdowns.breakdown in ('all_types', 'all_types_financing') and scoped_rows.is_running)
            or (breakdowns.breakdown = 'ips_scheme' and scoped_rows.trajectory_type = 'IPS')
            or (
                breakdowns.breakdown = 'ips_phase'
                and scoped_rows.trajectory_type = 'IPS'
                and scoped_rows.is_running
            )

),

aggregated as (

    select
        scope,
        quarter,
        level,
        breakdown_region_code as region_code,
        breakdown_organisation_code as organisation_code,
        breakdown_trajectory_type as trajectory_type,
        breakdown_financing as financing,
        breakdown_ips_scheme as ips_scheme,
        breakdown_ips_phase as ips_phase,
        cast(sum(n_orientation) as bigint) as orientation,
        cast(sum(n_orientation_ended) as bigint) as orientation_ended,
        cast(sum(n_running) as bigint) as running,
        cast(sum(n_started) as bigint) as started,
        cast(sum(n_ended) as bigint) as ended,
        cast(sum(n_paid_work) as bigint) as paid_work,
        cast(sum(n_sustainable_paid_work) as bigint) as sustainable_paid_work,
        cast(sum(n_ever_paid_work) as bigint) as ever_paid_work,
        cast(sum(n_job_started) as bigint) as job_started,
        cast(sum(n_job_stopped) as bigint) as job_stopped,
        cast(sum(n_education) as bigint) as education,
        cast(sum(n_trial_placement) as bigint) as trial_placement,
        cast(sum(n_volunteer_work) as bigint) as volunteer_work,
        cast(sum(n_day_activity) as bigint) as day_activity,
        cast(sum(n_ended_with_paid_work) as bigint) as ended_with_paid_work,
        cast(sum(n_ended_worked_before) as bigint) as ended_worked_before,
        cast(sum(n_ended_never_worked) as bigint) as ended_never_worked,
        cast(sum(n_ended_intended_result) as bigint) as ended_intended_result,
        cast(sum(n_first_job_within_3_months) as bigint) as first_job_within_3_months,
        cast(sum(n_first_job_after_9_months) as bigint) as first_job_after_9_months,
        cast(sum(n_first_job_days_0_30) as bigint) as first_job_days_0_30,
        cast(sum(n_first_job_days_31_60) as bigint) as first_job_days_31_60,
        cast(sum(n_first_job_days_61_150) as bigint) as first_job_days_61_150,
        cast(sum(n_first_job_days_151_270) as bigint) as first_job_days_151_270,
        cast(sum(n_first_job_days_271_plus) as bigint) as first_job_days_271_plus,
        cast(sum(n_employed_at_window_end) as bigint) as employed_at_window_end,
        cast(sum(n_employment_lt_6_months) as bigint) as employment_lt_6_months,
        cast(sum(n_employment_6_12_months) as bigint) as employment_6_12_months,
        cast(sum(n_employment_gt_12_months) as bigint) as employment_gt_12_months,
        coalesce(
            cast(
                sum(row_count) filter (
                    where is_running and trajectory_type = 'IPS' and employment_specialist_fte > 0
                ) as bigint
            ),
            0
        ) as running_ips_with_fte,
        count(distinct organisation_code) filter (where is_running) as organisations_with_running,
        count(distinct organisation_code) as organisations_with_rows

    from breakdown_rows

    group by all

),

-- FTE is reported per organisation, not per region or trajectory
fte_totals as (

    select
        scopes.scope,
        deliveries_compared.quarter,
        levels.level,
        case
            when levels.level = 'organisation' then deliveries_compared.organisation_code
        end as organisation_code,
        -- summed as decimal: a double sum depends on the order DuckDB's parallel
        -- aggregation meets the rows, and a re-run must give identical figures
        cast(
            sum(cast(deliveries_compared.employment_specialist_fte as decimal(18, 4))) as double
        ) as fte_total

    from deliveries_compared

    inner join (values ('all'), ('with_previous'), ('with_next')) as scopes (scope)
        on
            scopes.scope = 'all'
            or (scopes.scope = 'with_previous' and deliveries_compared.delivered_previous)
            or (scopes.scope = 'with_next' and deliveries_compared.delivered_next)

    cross join (values ('national'), ('organisation')) as levels (level)

    where deliveries_compared.employment_specialist_fte > 0

    group by all

),

aggregated_with_fte as (

    select
        aggregated.*,
        coalesce(fte_totals.fte_total, 0) as fte_total,
        -- one join key for the comparisons below
        concat_ws(
            '|',
            aggregated.level,
            coalesce(aggregated.region_code, ''),
            coalesce(aggregated.organisation_code, ''),
            aggregated.trajectory_type,
            aggregated.financing,
            aggregated.ips_scheme,
            aggregated.ips_phase
        ) as breakdown_key

    from aggregated

    left join fte_totals
        on
            aggregated.scope = fte_totals.scope
            and aggregated.quarter = fte_totals.quarter
            and aggregated.level = fte_totals.level
            and aggregated.organisation_code is not distinct from fte_totals.organisation_code

),

indicator_values as (

    {% for indicator in indicator_definitions() %}
        select
            scope,
            quarter,
            level,
            region_code,
            organisation_code,
            trajectory_type,
            financing,
            ips_scheme,
            ips_phase,
            organisations_with_rows,
            breakdown_key,
            '{{ indicator.code }}' as indicator,
            cast({{ indicator.numerator }} as double) as numerator,
            cast({{ indicator.denominator }} as double) as denominator

        from aggregated_with_fte

        where {{ indicator.applies }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

with_values as (

    select
        *,
        {{ add_quarters('quarter', 1) }} as next_quarter,
        case
            when denominator is null then numerator
            when denominator <> 0 then numerator / denominator
        end as value

    from indicator_values

),

values_all as (

    select * from with_values

    where scope = 'all'

),

values_with_previous as (

    select * from with_values

    where scope = 'with_previous'

),

values_with_next as (

    select * from with_values

    where scope = 'with_next'

),

current_quarter as (

    select * from values_all

    where {{ quarter_filter('quarter', shift_to=1) }}

),

compared as (

    select
        current_quarter.quarter,
        current_quarter.level,
        current_quarter.region_code,
        current_quarter.organisation_code,
        current_quarter.trajectory_type,
        current_quarter.financing,
        current_quarter.ips_scheme,
        current_quarter.ips_phase,
        current_quarter.indicator,
        current_quarter.numerator,
        current_quarter.denominator,
        current_quarter.value,
        indicators.kind,
        indicators.label_nl as indicator_label_nl,
        -- absent in a quarter that has a comparison = 0 (interface.md);
        -- no comparison at all (first quarter, organisation absent) = null
        case
            when current_quarter.level = 'organisation'
                then coalesce(organisation_previous.delivered_previous, false)
            else coalesce(quarter_comparisons_previous.has_deliveries, false)
        end as has_previous,
        case
            when current_quarter.level = 'organisation'
                then coalesce(organisation_previous.delivered_previous, false)
            else coalesce(quarter_comparisons.has_like_for_like, false)
        end as has_like_for_like,
        previous_quarter.numerator as previous_numerator_found,
        previous_quarter.denominator as previous_denominator_found,
        previous_quarter.value as previous_value_found,
        previous_quarter.quarter is not null as is_previous_found,
        like_for_like_current.numerator as like_for_like_numerator_found,
        like_for_like_current.denominator as like_for_like_denominator_found,
        like_for_like_current.value as like_for_like_value_found,
        like_for_like_current.quarter is not null as is_like_for_like_found,
        like_for_like_current.organisations_with_rows as like_for_like_organisations_found,
        like_for_like_previous.numerator as like_for_like_previous_numerator_found,
        like_for_like_previous.denominator as like_for_like_previous_denominator_found,
        like_for_like_previous.value as like_for_like_previous_value_found,
        like_for_like_previous.quarter is not null as is_like_for_like_previous_found

    from current_quarter

    left join indicators
        on current_quarter.indicator = indicators.indicator

    left join quarter_comparisons
        on current_quarter.quarter = quarter_comparisons.quarter

    left join quarter_comparisons as quarter_comparisons_previous
        on quarter_comparisons_previous.quarter = {{ add_quarters('current_quarter.quarter', -1) }}

    left join deliveries_compared as organisation_previous
        on
            current_quarter.quarter = organisation_previous.quarter
            and current_quarter.organisation_code = organisation_previous.organisation_code

    left join values_all as previous_quarter
        on
            current_quarter.quarter = previous_quarter.next_quarter
            and current_quarter.breakdown_key = previous_quarter.breakdown_key
            and current_quarter.indicator = previous_quarter.indicator

    left join values_with_previous as like_for_like_current
        on
            current_quarter.quarter = like_for_like_current.quarter
            and current_quarter.breakdown_key = like_for_like_current.breakdown_key
            and current_quarter.indicator = like_for_like_current.indicator

    left join values_with_next as like_for_like_previous
        on
            current_quarter.quarter = like_for_like_previous.next_quarter
            and current_quarter.breakdown_key = like_for_like_previous.breakdown_key
            and current_quarter.indicator = like_for_like_previous.indicator

),

comparisons_resolved as (

    select
        *,
        case
            when is_previous_found then previous_numerator_found
            when has_previous then 0
        end as previous_numerator,
        case
            when is_previous_found then previous_denominator_found
            when has_previous and kind <> 'count' then 0
        end as previous_denominator,
        case
            when is_previous_found then previous_value_found
            when has_previous and kind = 'count' then 0
        end as previous_value,
        case
            when is_like_for_like_found then like_for_like_numerator_found
            when has_like_for_like then 0
        end as like_for_like_numerator,
        case
            when is_like_for_like_found then like_for_like_denominator_found
            when has_like_for_like and kind <> 'count' then 0
        end as like_for_like_denominator,
        case
            when is_like_for_like_found then like_for_like_value_found
            when has_like_for_like and kind = 'count' then 0
        end as like_for_like_value,
        case
            when is_like_for_like_previous_found then like_for_like_previous_numerator_found
            when has_like_for_like then 0
        end as like_for_like_previous_numerator,
        case
            when is_like_for_like_previous_found then like_for_like_previous_denominator_found
            when has_like_for_like and kind <> 'count' then 0
        end as like_for_like_previous_denominator,
        case
            when is_like_for_like_previous_found then like_for_like_previous_value_found
            when has_like_for_like and kind = 'count' then 0
        end as like_for_like_previous_value,
        case
            when has_like_for_like then coalesce(like_for_like_organisations_found, 0)
        end as like_for_like_organisations

    from compared

),

final as (

    select
        comparisons_resolved.quarter,
        comparisons_resolved.level,
        comparisons_resolved.region_code,
        comparisons_resolved.organisation_code,
        comparisons_resolved.trajectory_type,
        comparisons_resolved.financing,
        comparisons_resolved.ips_scheme,
        comparisons_resolved.ips_phase,
        comparisons_resolved.indicator,
        comparisons_resolved.numerator,
        comparisons_resolved.denominator,
        comparisons_resolved.value,
        comparisons_resolved.indicator_label_nl,
        coalesce(trajectory_types.label_nl, 'Alle trajecten') as trajectory_type_label_nl,
        regions.region_name,
        organisations.organisation_name,
        comparisons_resolved.previous_numerator,
        comparisons_resolved.previous_denominator,
        comparisons_resolved.previous_value,
        comparisons_resolved.value - comparisons_resolved.previous_value as change_absolute,
        case
            when comparisons_resolved.kind <> 'share' and comparisons_resolved.previous_value <> 0
                then
                    (comparisons_resolved.value - comparisons_resolved.previous_value)
                    / comparisons_resolved.previous_value
        end as change_relative,
        case
            when comparisons_resolved.kind = 'share'
                then 100 * (comparisons_resolved.value - comparisons_resolved.previous_value)
        end as change_percentage_points,
        comparisons_resolved.like_for_like_numerator,
        comparisons_resolved.like_for_like_denominator,
        comparisons_resolved.like_for_like_value,
        comparisons_resolved.like_for_like_previous_numerator,
        comparisons_resolved.like_for_like_previous_denominator,
        comparisons_resolved.like_for_like_previous_value,
        cast(comparisons_resolved.like_for_like_organisations as integer)
            as like_for_like_organisations,
        comparisons_resolved.kind as indicator_kind

    from comparisons_resolved

    left join trajectory_types
        on comparisons_resolved.trajectory_type = trajectory_types.trajectory_type

    left join regions
        on comparisons_resolved.region_code = regions.region_code

    left join organisations
        on comparisons_resolved.organisation_code = organisations.organisation_code

)

select * from final
