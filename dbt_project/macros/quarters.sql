{#- Quarter helpers. Quarters are written as people write them (2024Q3); the
    string sorts chronologically, so range filters compare strings. -#}

{#- Jinja: the quarter n quarters after (n < 0: before) quarter_text. -#}
{% macro shift_quarter(quarter_text, n) -%}
    {%- set year = quarter_text[0:4] | int -%}
    {%- set q = quarter_text[5:6] | int -%}
    {%- set index = year * 4 + (q - 1) + n -%}
    {{- (index // 4) ~ 'Q' ~ ((index % 4) + 1) -}}
{%- endmacro %}

{#- Jinja: one end of the quarter range of this build: the var (quarter_from /
    quarter_to, for people running dbt by hand), else WERKMONITOR_QUARTER_FROM /
    WERKMONITOR_QUARTER_TO from the environment, which is how the orchestrator
    passes it: a changed --vars value makes dbt re-parse the whole project,
    a changed environment variable only the models that read it. -#}
{#- Read only when executing: an env_var() read at parse time makes dbt re-parse
    every model that calls this (19 files) whenever the range changes, which cost
    as much as the full parse it avoided. Parsing needs only the refs, not the range. -#}
{% macro quarter_bound(name) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set value = var(name, none) or env_var('WERKMONITOR_' ~ (name | upper), '') -%}
    {{- return(value if value else none) -}}
{%- endmacro %}

{#- SQL: predicate restricting column to the quarters selected with the vars
    quarter_from / quarter_to, widened by shift_from / shift_to quarters (e.g.
    shift_to=1 also covers the quarter after quarter_to). No vars = true. -#}
{% macro quarter_filter(column, shift_from=0, shift_to=0) -%}
    {%- set quarter_from = quarter_bound('quarter_from') -%}
    {%- set quarter_to = quarter_bound('quarter_to') -%}
    {%- set conditions = [] -%}
    {%- if quarter_from -%}
        {%- do conditions.append(column ~ " >= '" ~ shift_quarter(quarter_from | string | upper, shift_from) ~ "'") -%}
    {%- endif -%}
    {%- if quarter_to -%}
        {%- do conditions.append(column ~ " <= '" ~ shift_quarter(quarter_to | string | upper, shift_to) ~ "'") -%}
    {%- endif -%}
    {%- if conditions -%}
        ({{ conditions | join(' and ') }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- SQL: first day of a quarter column/expression (varchar 2024Q3). -#}
{% macro quarter_start_date(quarter_expression) -%}
    make_date(
        cast(left({{ quarter_expression }}, 4) as integer),
        cast(right({{ quarter_expression }}, 1) as integer) * 3 - 2,
        1
    )
{%- endmacro %}

{#- SQL: quarter string of a date expression. -#}
{% macro quarter_of_date(date_expression) -%}
    (cast(year({{ date_expression }}) as varchar) || 'Q' || cast(quarter({{ date_expression }}) as varchar))
{%- endmacro %}

{#- SQL: the quarter n quarters after a varchar quarter expression. -#}
{% macro add_quarters(quarter_expression, n) -%}
    {{ quarter_of_date(quarter_start_date(quarter_expression) ~ ' + to_months(' ~ (3 * n) ~ ')') }}
{%- endmacro %}

{#- SQL: whole calendar months from start_date to end_date: the largest n with
    start_date + n months <= end_date (month ends clamp: 31 Jan + 1 month =
    28/29 Feb). -#}
{% macro whole_months_between(start_date, end_date) -%}
    cast(
        date_diff('month', {{ start_date }}, {{ end_date }})
        - case
            when {{ start_date }} + to_months(date_diff('month', {{ start_date }}, {{ end_date }})) > {{ end_date }}
                then 1
            else 0
        end
        as integer
    )
{%- endmacro %}

{#- SQL (a pre-hook of the quarter-grained incremental models): delete the
    quarters this build selects (widened by shift_to, as the model's own
    filter) before delete+insert adds the new rows. delete+insert alone only
    deletes quarters that have new rows, so a quarter whose rebuild yields
    none (every row of its only accepted version quarantined) would keep its
    old facts. Nothing on the first build (the table does not exist yet). -#}
{% macro delete_selected_quarters(shift_to=0) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ quarter_filter('quarter', shift_to=shift_to) }}
    {%- endif -%}
{%- endmacro %}
