{#- Started trajectories (all types) per region, year to date per quarter,
    against the target of the region's division that year. A table rebuilt
    in full: it is small and a quarter's figure depends on the earlier
    quarters of its year. -#}

with

quarters as (

    select * from {{ ref('dim_quarters') }}

),

regions as (

    select * from {{ ref('dim_regions') }}

),

region_divisions as (

    select * from {{ ref('region_divisions') }}

),

divisions as (

    select * from {{ ref('divisions') }}

),

trajectory_quarters as (

    select * from {{ ref('fct_trajectory_quarters') }}

),

started_per_quarter as (

    select
        quarter,
        region_code,
        count(*) as started

    from trajectory_quarters

    where is_started

    group by quarter, region_code

),

region_quarters as (

    select
        quarters.year,
        quarters.quarter,
        regions.region_code,
        regions.region_name,
        coalesce(started_per_quarter.started, 0) as started

    from quarters

    cross join regions

    left join started_per_quarter
        on
            quarters.quarter = started_per_quarter.quarter
            and regions.region_code = started_per_quarter.region_code

),

year_to_date as (

    select
        *,
        sum(started) over (
            partition by region_code, year
            order by quarter
            rows between unbounded preceding and current row
        ) as started_year_to_date

    from region_quarters

),

final as (

    select
        year_to_date.year,
        year_to_date.quarter,
        year_to_date.region_code,
        year_to_date.region_name,
        cast(region_divisions.division_code as varchar) as division_code,
        cast(divisions.label_nl as varchar) as division_label_nl,
        cast(divisions.yearly_target as integer) as yearly_target,
        cast(year_to_date.started as integer) as started_in_quarter,
        cast(year_to_date.started_year_to_date as integer) as started_year_to_date,
        case
            when divisions.yearly_target > 0
                then year_to_date.started_year_to_date / divisions.yearly_target
        end as share_of_target

    from year_to_date

    left join region_divisions
        on
            year_to_date.region_code = region_divisions.region_code
            and year_to_date.year = region_divisions.year

    left join divisions
        on region_divisions.division_code = divisions.division_code

)

select * from final
