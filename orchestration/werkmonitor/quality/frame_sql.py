"""The SQL of each frame a suite can run on, for one quarter.

Raw frames hold only the non-quarantined rows of the quarter's current
accepted submissions (what the indicators see); cross-table rules become
derived columns (``known_traject_id``, ``has_ips_rows``) and aggregate rules
derived frames (``indicator_totals``, ``region_drop``). ``regions_seed`` is a
frame the reader registers on the connection.
"""

from __future__ import annotations

from werkmonitor.quarters import Quarter


def sql_frames(quarter: Quarter, count_indicators: list[str]) -> dict[str, tuple[str, dict]]:
    q = str(quarter)
    dates = {"q": q, "q_start": quarter.start, "q_end": quarter.end}
    current = "s.quarter = $q and s.status = 'accepted'"
    return {
        "raw_trajecten": (
            f"""
            select t.*, s.organisation_code, $q_start::date as quarter_start_date,
                   $q_end::date as quarter_end_date
            from raw.trajecten t join audit.submissions s using (submission_id)
            where {current} and not coalesce(t.is_quarantined, false)
            order by s.organisation_code, t.source_row
            """,
            dates,
        ),
        "raw_banen": (
            f"""
            with traj as (
                select distinct t.submission_id, t.traject_id
                from raw.trajecten t join audit.submissions s using (submission_id)
                where {current} and not coalesce(t.is_quarantined, false)
            )
            select b.*, s.organisation_code, traj.traject_id as known_traject_id,
                   $q_end::date as quarter_end_date
            from raw.banen b join audit.submissions s using (submission_id)
            left join traj on traj.submission_id = b.submission_id
                          and traj.traject_id = b.traject_id
            where {current} and not coalesce(b.is_quarantined, false)
            order by s.organisation_code, b.source_row
            """,
            {"q": q, "q_start": quarter.start, "q_end": quarter.end},
        ),
        "raw_organisatie": (
            f"""
            select o.*, s.organisation_code, s.quarter,
                   exists (
                       select 1 from raw.trajecten t
                       where t.submission_id = o.submission_id and t.trajecttype = 'IPS'
                         and not coalesce(t.is_quarantined, false)
                   ) as has_ips_rows
            from raw.organisatie o join audit.submissions s using (submission_id)
            where {current}
            order by s.organisation_code
            """,
            {"q": q},
        ),
        "audit_submissions": (
            "select * from audit.submissions where quarter = $q order by load_order",
            {"q": q},
        ),
        "audit_quarantined_rows": (
            """
            select r.*, s.organisation_code, s.submission_id as known_submission_id
            from audit.quarantined_rows r
            left join audit.submissions s using (submission_id)
            where s.quarter = $q or s.submission_id is null
            """,
            {"q": q},
        ),
        "fct_trajectory_quarters": (
            "select * from marts.fct_trajectory_quarters where quarter = $q",
            {"q": q},
        ),
        "fct_jobs": (
            """
            with t as (
                select distinct organisation_code, traject_id
                from marts.fct_trajectory_quarters where quarter = $q
            )
            select j.*, t.traject_id as known_traject_id
            from marts.fct_jobs j
            left join t on t.organisation_code = j.organisation_code
                       and t.traject_id = j.traject_id
            where j.quarter = $q
            """,
            {"q": q},
        ),
        "quarterly_indicators": (
            "select * from marts.quarterly_indicators where quarter = $q",
            {"q": q},
        ),
        "indicator_totals": (
            """
            select trajectory_type, financing, indicator,
                   coalesce(sum(numerator) filter (where level = 'national'), 0)
                       as national_value,
                   coalesce(sum(numerator) filter (where level = 'organisation'), 0)
                       as organisations_sum,
                   coalesce(sum(numerator) filter (where level = 'region'), 0)
                       as regions_sum
            from marts.quarterly_indicators
            where quarter = $q and ips_scheme = 'ALL' and ips_phase = 'ALL'
              and list_contains($counts, indicator)
            group by all
            order by indicator, trajectory_type, financing
            """,
            {"q": q, "counts": count_indicators},
        ),
        "region_completeness": (
            """
            select coalesce(c.region_code, r.region_code) as region,
                   r.region_code as expected_region_code, c.*
            from regions_seed r
            full outer join (
                select * from marts.region_completeness where quarter = $q
            ) c on c.region_code = r.region_code
            order by region
            """,
            {"q": q},
        ),
        "region_drop": (
            """
            with running as (
                select quarter, region_code, sum(numerator) as running
                from marts.quarterly_indicators
                where level = 'region' and indicator = 'running'
                  and trajectory_type = 'ALL' and financing = 'ALL'
                  and ips_scheme = 'ALL' and ips_phase = 'ALL'
                  and quarter in ($q, $prev)
                group by all
            ), c as (
                select region_code, status, mark from marts.region_completeness
                where quarter = $q
            )
            select r.region_code, r.region_name,
                   coalesce(p.running, 0) as running_previous,
                   coalesce(n.running, 0) as running_current,
                   case when coalesce(p.running, 0) > greatest($min_prev, 0)
                        then greatest(0, (p.running - coalesce(n.running, 0)) / p.running)
                   end as drop_share,
                   c.status, c.mark
            from regions_seed r
            left join running p on p.region_code = r.region_code and p.quarter = $prev
            left join running n on n.region_code = r.region_code and n.quarter = $q
            left join c on c.region_code = r.region_code
            order by r.region_code
            """,
            {"q": q, "prev": str(quarter.previous())},
        ),
    }
