-- At most one current (accepted) submission per organisation and quarter.
select
    organisation_code,
    quarter,
    count(*) as submissions

from {{ ref('int_submissions_selected') }}

group by organisation_code, quarter

having count(*) > 1
