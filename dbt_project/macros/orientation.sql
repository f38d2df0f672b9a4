{#- SQL: true for a row in IPS orientation (trajectory type IPS, phase
    ORIENTATIE), false otherwise (also when the phase is null): the phase of
    seeds/ips_phases.csv with is_running = false. Orientation rows are counted
    on their own and in no other population, and are no version of a running
    trajectory for the cohorts; the rule is written here once for both
    (tests/test_catalogue_flags.py checks the phase against the seed). -#}
{% macro is_orientation(trajectory_type='trajectory_type', ips_phase='ips_phase') -%}
    coalesce({{ trajectory_type }} = 'IPS' and {{ ips_phase }} = 'ORIENTATIE', false)
{%- endmacro %}
