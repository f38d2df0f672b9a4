{#- One row per scope x breakdown x indicator: the breakdown's counts turned
    into numerator, denominator and value, for every indicator of the
    catalogue that applies to the breakdown (its population is non-empty
    there, its trajectory types and applies_when allow it). -#}

-- depends_on: {{ ref('indicators') }}
-- depends_on: {{ ref('indicator_populations') }}

with

breakdowns as (

    select * from {{ ref('int_indicator_breakdowns') }}

),

unpivoted as (

    {#- no catalogue (parse time, a linter without seeds): one branch, no rows -#}
    {%- set no_catalogue = [{'code': none, 'kind': none, 'denominator': none}] %}
    {% for indicator in indicator_catalogue() or no_catalogue %}
        select
            scope,
            quarter,
            {{ column_list(indicator_breakdown_columns(), indent=12) }},
            organisations_with_rows,
            breakdown_key,
            {{ "'" ~ indicator.code ~ "'" if indicator.code else 'null' }} as indicator,
            {{ "'" ~ indicator.kind ~ "'" if indicator.kind else 'null' }} as indicator_kind,
            cast({{ indicator.code or 'null' }} as double) as numerator,
            cast({{ indicator.denominator or 'null' }} as double) as denominator

        from breakdowns

        where {{ indicator_applies(indicator) if indicator.code else 'false' }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        *,
        {{ add_quarters('quarter', 1) }} as next_quarter,
        case
            when denominator is null then numerator
            when denominator <> 0 then numerator / denominator
        end as value

    from unpivoted

)

select * from final
