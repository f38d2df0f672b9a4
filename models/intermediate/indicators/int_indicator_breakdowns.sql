{{ config(materialized='table') }}

{#- The breakdown fan-out: every group of int_trajectory_groups_counted
    summed into each breakdown it belongs to, per scope (all rows, or only
    organisations that also delivered in the previous / next quarter: the
    like-for-like halves), level (national, region, organisation) and
    breakdown (docs/indicators.md "Breakdowns and which rows exist"). -#}

-- depends_on: {{ ref('indicators') }}
-- depends_on: {{ ref('indicator_populations') }}

with

trajectory_groups as (

    select * from {{ ref('int_trajectory_groups_counted') }}

),

deliveries as (

    select * from {{ ref('int_deliveries_compared') }}

),

scopes as (

    select unnest(['all', 'with_previous', 'with_next']) as scope

),

scoped_rows as (

    select
        scopes.scope,
        trajectory_groups.*

    from trajectory_groups

    inner join scopes
        on
            scopes.scope = 'all'
            or (scopes.scope = 'with_previous' and trajectory_groups.delivered_previous)
            or (scopes.scope = 'with_next' and trajectory_groups.delivered_next)

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
        {{ column_list(indicator_breakdown_columns()[1:], 'breakdown_{c} as {c}') }},
        {%- for column in indicator_count_columns() %}
            cast(sum({{ column }}) as bigint) as {{ column }},
        {%- endfor %}
        count(distinct organisation_code) filter (where is_running) as organisations_with_running,
        count(distinct organisation_code) as organisations_with_rows

    from breakdown_rows

    group by all

),

-- FTE is reported per organisation, not per region or trajectory
fte_totals as (

    select
        scopes.scope,
        deliveries.quarter,
        levels.level,
        case
            when levels.level = 'organisation' then deliveries.organisation_code
        end as organisation_code,
        -- summed as decimal: a double sum depends on the order DuckDB's parallel
        -- aggregation meets the rows, and a re-run must give identical figures
        cast(
            sum(cast(deliveries.employment_specialist_fte as decimal(18, 4))) as double
        ) as fte_total

    from deliveries

    inner join scopes
        on
            scopes.scope = 'all'
            or (scopes.scope = 'with_previous' and deliveries.delivered_previous)
            or (scopes.scope = 'with_next' and deliveries.delivered_next)

    cross join (values ('national'), ('organisation')) as levels (level)

    -- only organisations that run IPS in the quarter: FTE of an organisation
    -- whose IPS rows are all quarantined (or that has none) would dilute the
    -- caseload with clients nobody can count (docs/indicators.md, clients_per_fte)
    where
        deliveries.employment_specialist_fte > 0
        and exists (
            select 1
            from trajectory_groups as ips_rows
            where
                ips_rows.quarter = deliveries.quarter
                and ips_rows.organisation_code = deliveries.organisation_code
                and ips_rows.trajectory_type = 'IPS'
                and ips_rows.is_running
        )

    group by all

),

final as (

    select
        aggregated.*,
        coalesce(fte_totals.fte_total, 0) as fte_total,
        -- one join key for the comparisons
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

)

select * from final
