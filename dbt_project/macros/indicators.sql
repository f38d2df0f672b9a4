{#- The indicator catalogue as computed by quarterly_indicators: code, the
    numerator and denominator expressions over the breakdown aggregate
    (columns of the `aggregated` CTE), and when a breakdown carries the
    indicator. Codes and kinds match seeds/indicators.csv. -#}
{% macro indicator_definitions() %}
    {%- set running = "running > 0" -%}
    {%- set orientation = "orientation > 0 and trajectory_type = 'IPS' and ips_phase = 'ALL'" -%}
    {%- set jobcoaching = "running > 0 and trajectory_type = 'JOBCOACHING'" -%}
    {%- set fte = "running > 0 and trajectory_type = 'IPS' and financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL' and level in ('national', 'organisation')" -%}
    {{ return([
        {'code': 'orientation', 'numerator': 'orientation', 'denominator': 'null', 'applies': orientation},
        {'code': 'orientation_ended', 'numerator': 'orientation_ended', 'denominator': 'null', 'applies': orientation},
        {'code': 'running', 'numerator': 'running', 'denominator': 'null', 'applies': running},
        {'code': 'started', 'numerator': 'started', 'denominator': 'null', 'applies': running},
        {'code': 'ended', 'numerator': 'ended', 'denominator': 'null', 'applies': running},
        {'code': 'paid_work', 'numerator': 'paid_work', 'denominator': 'running', 'applies': running},
        {'code': 'sustainable_paid_work', 'numerator': 'sustainable_paid_work', 'denominator': 'running', 'applies': running},
        {'code': 'ever_paid_work', 'numerator': 'ever_paid_work', 'denominator': 'running', 'applies': running},
        {'code': 'job_started', 'numerator': 'job_started', 'denominator': 'running - paid_work', 'applies': running},
        {'code': 'job_stopped', 'numerator': 'job_stopped', 'denominator': 'paid_work', 'applies': running},
        {'code': 'education', 'numerator': 'education', 'denominator': 'running', 'applies': running},
        {'code': 'trial_placement', 'numerator': 'trial_placement', 'denominator': 'running', 'applies': running},
        {'code': 'volunteer_work', 'numerator': 'volunteer_work', 'denominator': 'running', 'applies': running},
        {'code': 'day_activity', 'numerator': 'day_activity', 'denominator': 'running', 'applies': running},
        {'code': 'outflow', 'numerator': 'ended', 'denominator': 'running', 'applies': running},
        {'code': 'ended_with_paid_work', 'numerator': 'ended_with_paid_work', 'denominator': 'ended', 'applies': running},
        {'code': 'ended_worked_before', 'numerator': 'ended_worked_before', 'denominator': 'ended', 'applies': running},
        {'code': 'ended_never_worked', 'numerator': 'ended_never_worked', 'denominator': 'ended', 'applies': running},
        {'code': 'ended_intended_result', 'numerator': 'ended_intended_result', 'denominator': 'ended', 'applies': running},
        {'code': 'first_job_within_3_months', 'numerator': 'first_job_within_3_months', 'denominator': 'paid_work', 'applies': running},
        {'code': 'first_job_after_9_months', 'numerator': 'first_job_after_9_months', 'denominator': 'paid_work', 'applies': running},
        {'code': 'first_job_days_0_30', 'numerator': 'first_job_days_0_30', 'denominator': 'paid_work', 'applies': running},
        {'code': 'first_job_days_31_60', 'numerator': 'first_job_days_31_60', 'denominator': 'paid_work', 'applies': running},
        {'code': 'first_job_days_61_150', 'numerator': 'first_job_days_61_150', 'denominator': 'paid_work', 'applies': running},
        {'code': 'first_job_days_151_270', 'numerator': 'first_job_days_151_270', 'denominator': 'paid_work', 'applies': running},
        {'code': 'first_job_days_271_plus', 'numerator': 'first_job_days_271_plus', 'denominator': 'paid_work', 'applies': running},
        {'code': 'employment_lt_6_months', 'numerator': 'employment_lt_6_months', 'denominator': 'employed_at_window_end', 'applies': jobcoaching},
        {'code': 'employment_6_12_months', 'numerator': 'employment_6_12_months', 'denominator': 'employed_at_window_end', 'applies': jobcoaching},
        {'code': 'employment_gt_12_months', 'numerator': 'employment_gt_12_months', 'denominator': 'employed_at_window_end', 'applies': jobcoaching},
        {'code': 'clients_per_fte', 'numerator': 'running_ips_with_fte', 'denominator': 'fte_total', 'applies': fte},
        {'code': 'avg_per_organisation', 'numerator': 'running', 'denominator': 'organisations_with_running', 'applies': running},
    ]) }}
{% endmacro %}
