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
    {{ unknown_codes('indicator_rows', [{'column': 'quarter', 'dim': 'dim_quarters'}]) }}

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
    {{ unknown_codes('indicator_rows', [
        {'column': 'region_code', 'dim': 'dim_regions'},
        {'column': 'organisation_code', 'dim': 'dim_organisations'},
        {'column': 'trajectory_type', 'dim': 'dim_trajectory_types', 'is_all_allowed': true},
        {'column': 'financing', 'dim': 'dim_financing_types', 'is_all_allowed': true},
        {'column': 'ips_scheme', 'dim': 'dim_ips_schemes', 'is_all_allowed': true},
        {'column': 'ips_phase', 'dim': 'dim_ips_phases', 'is_all_allowed': true,
         'where': 'dim.is_running', 'label': 'unknown or orientation ips_phase'},
    ]) }}

)

select * from problems
