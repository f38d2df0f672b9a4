-- quarterly_indicators, quarters this build rewrote ([from, to + 1]): one row
-- per quarter x breakdown x indicator (the grain), every indicator in the
-- catalogue, every code known to the reference data, levels and the ALL
-- breakdown values as interface.md lists them.
{{ config(meta={'dagster': {'asset_key': ['quarterly_indicators']}}) }}

with

indicator_rows as (

    select * from {{ ref('quarterly_indicators') }}

    where {{ quarter_filter('quarter', shift_to=1) }}

),

problems as (

    select
        'duplicate breakdown row' as problem,
        concat_ws(
            '|', quarter, level, region_code, organisation_code, trajectory_type, financing,
            ips_scheme, ips_phase, indicator
        ) as value
    from indicator_rows
    group by all
    having count(*) > 1

    union all
    select
        'unknown indicator' as problem,
        indicator as value
    from indicator_rows
    where indicator not in (select dim.indicator from {{ ref('dim_indicators') }} as dim)

    union all
    select
        'indicator_kind differs from the catalogue' as problem,
        indicator_rows.indicator as value
    from indicator_rows
    inner join {{ ref('dim_indicators') }} as dim
        on indicator_rows.indicator = dim.indicator
    where indicator_rows.indicator_kind <> dim.kind

    union all
    select
        'unknown quarter' as problem,
        quarter as value
    from indicator_rows
    where quarter not in (select dim.quarter from {{ ref('dim_quarters') }} as dim)

    union all
    select
        'unknown level' as problem,
        level as value
    from indicator_rows
    where level not in ('national', 'region', 'organisation')

    union all
    select
        'place does not match level' as problem,
        level as value
    from indicator_rows
    where
        (region_code is not null) <> (level = 'region')
        or (organisation_code is not null) <> (level = 'organisation')

    union all
    select
        'unknown region_code' as problem,
        region_code as value
    from indicator_rows
    where region_code not in (select dim.region_code from {{ ref('dim_regions') }} as dim)

    union all
    select
        'unknown organisation_code' as problem,
        organisation_code as value
    from indicator_rows
    where organisation_code not in (
            select dim.organisation_code from {{ ref('dim_organisations') }} as dim
        )

    union all
    select
        'unknown trajectory_type' as problem,
        trajectory_type as value
    from indicator_rows
    where trajectory_type <> 'ALL' and trajectory_type not in (
            select dim.trajectory_type from {{ ref('dim_trajectory_types') }} as dim
        )

    union all
    select
        'unknown financing' as problem,
        financing as value
    from indicator_rows
    where financing <> 'ALL' and financing not in (
            select dim.financing from {{ ref('dim_financing_types') }} as dim
        )

    union all
    select
        'unknown ips_scheme' as problem,
        ips_scheme as value
    from indicator_rows
    where ips_scheme <> 'ALL' and ips_scheme not in (
            select dim.ips_scheme from {{ ref('dim_ips_schemes') }} as dim
        )

    union all
    select
        'unknown or orientation ips_phase' as problem,
        ips_phase as value
    from indicator_rows
    where ips_phase <> 'ALL' and ips_phase not in (
            select dim.ips_phase from {{ ref('dim_ips_phases') }} as dim
            where dim.is_running
        )

)

select * from problems
