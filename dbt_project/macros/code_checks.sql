{#- SQL for a singular test: the rows of `rows` (a CTE name) whose code is
    not in the reference data, one `union all` branch per check, each row
    naming the problem ('unknown <column>') and the value. A check is a dict:
    column, dim (the dim model), dim_column (default: column), is_all_allowed
    (the breakdown total 'ALL' is no code), where (over the dim's rows, alias
    dim), label (instead of 'unknown <column>'). The codes live in the seeds;
    the tests name only which column a dim checks. -#}
{% macro unknown_codes(rows, checks) -%}
    {%- for check in checks %}
    {%- if not loop.first %}

    union all
    {%- endif %}
    select
        '{{ check.label or ("unknown " ~ check.column) }}' as problem,
        {{ check.column }} as value
    from {{ rows }}
    where
        {% if check.is_all_allowed %}{{ check.column }} <> 'ALL' and {% endif -%}
        {{ check.column }} not in (
            select dim.{{ check.dim_column or check.column }} from {{ ref(check.dim) }} as dim
            {%- if check.where %}
            where {{ check.where }}
            {%- endif %}
        )
    {%- endfor %}
{%- endmacro %}

{#- SQL: the codes of a band column of fct_trajectory_quarters as the
    indicator catalogue's conditions compare it (`first_job_day_band =
    '0_30'`), as a quoted list for `in (...)`: the bands a singular test
    accepts are the ones the indicators count, written once in the seed.
    No catalogue (parse time): ''. -#}
{% macro catalogue_codes(column) -%}
    {%- set codes = [] -%}
    {%- for indicator in indicator_catalogue() -%}
        {%- for code in modules.re.findall(column ~ " = '([a-z0-9_]+)'", indicator.condition) -%}
            {%- if code not in codes -%}{%- do codes.append(code) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    '{{ codes | join("', '") }}'
{%- endmacro %}
