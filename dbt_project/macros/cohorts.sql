{#- SQL: predicate on an as-of quarter column for the cohort models. A
    trajectory's history as of Q reads every quarter <= Q, so a change in
    quarter_from (a correction, a late delivery) changes the history as of
    that quarter and every later one: the build covers quarter_from and
    everything after it; quarter_to does not bound it. No vars = true. -#}
{% macro as_of_quarter_filter(column) -%}
    {%- set quarter_from = quarter_bound('quarter_from') -%}
    {%- if quarter_from -%}
        ({{ column }} >= '{{ quarter_from | string | upper }}')
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- SQL: 97.5% quantile of the standard normal distribution, for the 95% band
    (lifelines: inv_normal_cdf(1 - alpha / 2) with alpha = 0.05;
    tests/test_cohort_estimator.py checks it against scipy). -#}
{% macro normal_quantile_975() -%}
    1.959963984540054
{%- endmacro %}

{#- SQL (a pre-hook of the as-of incremental models): delete the as-of quarters
    this build rewrites, so one whose rebuild yields no rows does not keep old
    ones (as delete_selected_quarters does for the quarter-grained models).
    Nothing on the first build. -#}
{% macro delete_selected_as_of_quarters() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ as_of_quarter_filter('as_of_quarter') }}
    {%- endif -%}
{%- endmacro %}

{#- Jinja: the column lists the cohort models share, each written once here.
    A version of a trajectory (int_trajectory_versions_dated, and the latest
    version per as-of quarter in int_trajectory_histories_assembled) carries
    these attributes after its key (organisation_code, traject_id, quarter). -#}
{% macro cohort_version_attributes() %}
    {{ return([
        'submission_id', 'region_code', 'trajectory_type', 'ips_scheme', 'ips_phase',
        'financing', 'financing_detail', 'start_date', 'end_date', 'exit_reason',
        'observed_end_date', 'first_job_date', 'first_sustainable_job_date',
    ]) }}
{% endmacro %}

{#- Jinja: what a removal count is broken down by before the fan-out into the
    mart's levels (int_cohort_removals_counted). -#}
{% macro cohort_removal_breakdown() %}
    {{ return([
        'region_code', 'trajectory_type', 'financing', 'ips_scheme', 'start_year', 'start_quarter',
    ]) }}
{% endmacro %}

{#- Jinja: the three ways a trajectory leaves the risk set in a month. -#}
{% macro cohort_removal_counts() %}
    {{ return(['events', 'ended_without', 'censored']) }}
{% endmacro %}

{#- Jinja: the columns that name one curve of cohort_outcomes (its grain
    without month). -#}
{% macro cohort_curve_columns() %}
    {{ return([
        'as_of_quarter', 'level', 'region_code', 'trajectory_type', 'financing', 'ips_scheme',
        'start_cohort', 'outcome',
    ]) }}
{% endmacro %}
