{#- SQL: the month since start in which event_date falls (indicators.md,
    "Months since start"): the smallest m >= 1 with
    event_date <= start_date + m calendar months, month ends clamped
    (31 Jan + 1 month = 29 Feb). So the start day and start + 1 month fall
    in month 1, the day after in month 2. Null when event_date is null.
    date_diff('month') counts month boundaries, k; start + (k - 1) months
    lies in the month before event_date's, so m is k or k + 1. -#}
{% macro months_since_start(start_date, event_date) -%}
    case
        when {{ event_date }} is not null
            then cast(
                greatest(
                    1,
                    date_diff('month', {{ start_date }}, {{ event_date }})
                    + case
                        when {{ event_date }}
                            > {{ start_date }} + to_months(date_diff('month', {{ start_date }}, {{ event_date }}))
                            then 1
                        else 0
                    end
                )
                as integer
            )
    end
{%- endmacro %}
