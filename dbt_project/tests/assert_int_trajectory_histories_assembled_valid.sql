-- int_trajectory_histories_assembled: one row per trajectory_history_id in
-- the as-of quarters this build rewrote, and the columns every history has
-- are never null (every as-of quarter). One test instead of eleven not_null
-- tests and a unique test; each row names the column.
{{ config(meta={'dagster': {'asset_key': ['int_trajectory_histories_assembled']}}) }}

{%- set required = [
    'as_of_quarter', 'trajectory_history_id', 'organisation_code', 'traject_id',
    'latest_quarter', 'submission_id', 'start_date', 'observed_end_date', 'start_year',
    'start_quarter', 'observed_end_month',
] %}

with

histories as (

    select * from {{ ref('int_trajectory_histories_assembled') }}

),

problems as (

    select
        'duplicate trajectory_history_id' as problem,
        trajectory_history_id as value
    from histories
    where {{ as_of_quarter_filter('as_of_quarter') }}
    group by trajectory_history_id
    having count(*) > 1
    {%- for column in required %}

        union all
        select
            'null {{ column }}' as problem,
            trajectory_history_id as value
        from histories
        where {{ column }} is null
    {%- endfor %}

)

select * from problems
