-- The grain of quarterly_indicators: one row per quarter x breakdown x indicator.
select
    quarter,
    level,
    region_code,
    organisation_code,
    trajectory_type,
    financing,
    ips_scheme,
    ips_phase,
    indicator,
    count(*) as row_count

from {{ ref('quarterly_indicators') }}

group by all

having count(*) > 1
