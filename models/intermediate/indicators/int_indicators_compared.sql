{#- Each indicator row of the quarters [from, to + 1] beside the same
    breakdown in the previous quarter and the like-for-like halves (only
    organisations that delivered in both quarters). Absent in a quarter that
    has something to compare with = 0; nothing to compare with (no
    deliveries in the previous quarter; at organisation level, the
    organisation did not deliver then) = null (docs/indicators.md). -#}

with

indicator_values as (

    select * from {{ ref('int_indicator_values') }}

),

deliveries as (

    select * from {{ ref('int_deliveries_compared') }}

),

quarter_comparisons as (

    select
        quarter,
        count(*) > 0 as has_deliveries,
        count(*) filter (where delivered_previous) > 0 as has_like_for_like

    from deliveries

    group by quarter

),

values_all as (

    select * from indicator_values

    where scope = 'all'

),

values_with_previous as (

    select * from indicator_values

    where scope = 'with_previous'

),

values_with_next as (

    select * from indicator_values

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
        current_quarter.indicator_kind as kind,
        current_quarter.numerator,
        current_quarter.denominator,
        current_quarter.value,
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

    left join quarter_comparisons
        on current_quarter.quarter = quarter_comparisons.quarter

    left join quarter_comparisons as quarter_comparisons_previous
        on quarter_comparisons_previous.quarter = {{ add_quarters('current_quarter.quarter', -1) }}

    left join deliveries as organisation_previous
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

-- absent in a quarter with a comparison = 0 (a share: 0 / 0, value null);
-- each comparison: (column prefix, found in that quarter, has a comparison)
{%- set comparisons = [
    ('previous', 'is_previous_found', 'has_previous'),
    ('like_for_like', 'is_like_for_like_found', 'has_like_for_like'),
    ('like_for_like_previous', 'is_like_for_like_previous_found', 'has_like_for_like'),
] %}
{%- set absent_is_zero = [
    ('numerator', ''),
    ('denominator', " and kind <> 'count'"),
    ('value', " and kind = 'count'"),
] %}
final as (

    select
        quarter,
        {{ column_list(indicator_breakdown_columns()) }},
        indicator,
        kind,
        numerator,
        denominator,
        value,
        {%- for prefix, found, has in comparisons %}
            {%- for column, absent_when in absent_is_zero %}
                case
                    when {{ found }} then {{ prefix }}_{{ column }}_found
                    when {{ has }}{{ absent_when }} then 0
                end as {{ prefix }}_{{ column }},
            {%- endfor %}
        {%- endfor %}
        case
            when has_like_for_like then coalesce(like_for_like_organisations_found, 0)
        end as like_for_like_organisations

    from compared

)

select * from final
