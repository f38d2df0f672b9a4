{{
    config(
        materialized='incremental',
        unique_key='quarter',
    )
}}

{#- Per quarter and each of the 35 regions: which organisations the register
    expects (active in the quarter and listed for the region, any trajectory
    type), which of them delivered, and rows delivered for the region by
    organisations the register does not list there. -#}

with

quarters as (

    select * from {{ ref('dim_quarters') }}

    where {{ quarter_filter('quarter') }}

),

regions as (

    select * from {{ ref('dim_regions') }}

),

organisations as (

    select * from {{ ref('dim_organisations') }}

),

organisation_regions as (

    select * from {{ ref('organisation_regions') }}

),

deliveries as (

    select * from {{ ref('int_submissions_selected') }}

),

trajectory_quarters as (

    select * from {{ ref('int_trajectory_quarters_enriched') }}

    where {{ quarter_filter('quarter') }}

),

expected as (

    select distinct
        quarters.quarter,
        cast(organisation_regions.region_code as varchar) as region_code,
        cast(organisation_regions.organisation_code as varchar) as organisation_code

    from quarters

    inner join organisation_regions
        on
            quarters.quarter >= cast(organisation_regions.valid_from_quarter as varchar)
            and (
                nullif(cast(organisation_regions.valid_to_quarter as varchar), '') is null
                or quarters.quarter <= cast(organisation_regions.valid_to_quarter as varchar)
            )

    inner join organisations
        on
            cast(organisation_regions.organisation_code as varchar) = organisations.organisation_code
            and quarters.quarter >= organisations.active_from_quarter
            and (
                organisations.active_to_quarter is null
                or quarters.quarter <= organisations.active_to_quarter
            )

),

expected_delivered as (

    select
        expected.quarter,
        expected.region_code,
        expected.organisation_code,
        deliveries.submission_id is not null as has_delivered

    from expected

    left join deliveries
        on
            expected.quarter = deliveries.quarter
            and expected.organisation_code = deliveries.organisation_code

),

expected_summary as (

    select
        quarter,
        region_code,
        count(*) as organisations_expected,
        count(*) filter (where has_delivered) as organisations_delivered,
        coalesce(
            list(organisation_code order by organisation_code) filter (where not has_delivered),
            []
        ) as missing_organisations

    from expected_delivered

    group by quarter, region_code

),

unregistered_rows as (

    select
        trajectory_quarters.quarter,
        trajectory_quarters.region_code,
        trajectory_quarters.organisation_code

    from trajectory_quarters

    left join expected
        on
            trajectory_quarters.quarter = expected.quarter
            and trajectory_quarters.region_code = expected.region_code
            and trajectory_quarters.organisation_code = expected.organisation_code

    where expected.organisation_code is null

),

unregistered_summary as (

    select
        quarter,
        region_code,
        list(distinct organisation_code order by organisation_code) as unregistered_organisations,
        count(*) as rows_unregistered

    from unregistered_rows

    group by quarter, region_code

),

quarter_regions as (

    select
        quarters.quarter,
        regions.region_code,
        regions.region_name

    from quarters

    cross join regions

),

final as (

    select
        quarter_regions.quarter,
        quarter_regions.region_code,
        case
            when coalesce(expected_summary.organisations_expected, 0) = 0 then 'no_provider'
            when expected_summary.organisations_delivered = 0 then 'no_data'
            when expected_summary.organisations_delivered < expected_summary.organisations_expected
                then 'incomplete'
            else 'complete'
        end as status,
        cast(coalesce(expected_summary.organisations_expected, 0) as integer) as organisations_expected,
        cast(coalesce(expected_summary.organisations_delivered, 0) as integer)
            as organisations_delivered,
        cast(coalesce(expected_summary.missing_organisations, []) as varchar[]) as missing_organisations,
        quarter_regions.region_name,
        case
            when coalesce(expected_summary.organisations_expected, 0) = 0 then '**'
            when expected_summary.organisations_delivered < expected_summary.organisations_expected
                then '*'
            else ''
        end as mark,
        cast(coalesce(unregistered_summary.unregistered_organisations, []) as varchar[])
            as unregistered_organisations,
        cast(coalesce(unregistered_summary.rows_unregistered, 0) as integer) as rows_unregistered

    from quarter_regions

    left join expected_summary
        on
            quarter_regions.quarter = expected_summary.quarter
            and quarter_regions.region_code = expected_summary.region_code

    left join unregistered_summary
        on
            quarter_regions.quarter = unregistered_summary.quarter
            and quarter_regions.region_code = unregistered_summary.region_code

)

select * from final
