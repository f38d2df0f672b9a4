-- Every ended running row falls in exactly one outflow category, and only those do.
select *

from {{ ref('fct_trajectory_quarters') }}

where
    (is_ended and (outflow_category is null or has_intended_result is null))
    or (not is_ended and (outflow_category is not null or has_intended_result is not null))
    or (is_orientation and is_running)
