{#- SQL: the month since start in which event_date falls: the smallest m >= 1
    with event_date <= start_date + m calendar months (month ends clamp:
    31 Jan + 1 month = 29 Feb). So the start day and start + 1 month both fall
    in month 1, the day after in month 2 (contract: indicators.md, "Outcomes by
    time since start", months since start). Dates before the start fall in
    month 1; a null date gives null (greatest() alone would skip the null and
    say month 1). Why this shape: date_diff('month') counts month boundaries, so
    start + that many months lies in event_date's own calendar month; the event
    is in that month number or, when it lies after that day, the next one. -#}
{% macro months_since_start(start_date, event_date) -%}
    cast(
        case
            when {{ event_date }} is not null and {{ start_date }} is not null
                then greatest(
                    1,
                    date_diff('month', {{ start_date }}, {{ event_date }})
                    + case
                        when
                            {{ event_date }}
                            > {{ start_date }} + to_months(date_diff('month', {{ start_date }}, {{ event_date }}))
                            then 1
                        else 0
                    end
                )
        end
        as integer
    )
{%- endmacro %}
