"""The SQL of each frame a suite can run on, for all quarters of a run in one query.

Each query returns the rows of every quarter of the run with the quarter in
``RUN_QUARTER`` (``frames`` splits them per quarter), so a run over eleven
quarters reads each table once instead of eleven times. ``run_quarters`` is a
frame the reader registers on the connection (one row per quarter: its first
and last day, the previous quarter, its position in the run); ``regions_seed``
too. Within a quarter the rows come in the order the one-quarter query gave.

Raw frames hold only the non-quarantined rows of the quarter's current
accepted submissions (what the indicators see); cross-table rules become
derived columns (``known_traject_id``, ``has_ips_rows``) and aggregate rules
derived frames (``indicator_totals``, ``region_drop``).
"""

from __future__ import annotations

RUN_QUARTER = "_run_quarter"

RQ = """rq as (
    select quarter as run_quarter, quarter_start::date as quarter_start_date,
           quarter_end::date as quarter_end_date, previous_quarter, run_order
    from run_quarters
)"""
CURRENT = "s.status = 'accepted'"


def sql_frames(count_indicators: list[str]) -> dict[str, tuple[str, dict]]:
    """Frame name → (SQL, parameters); ``$quarters`` is the list of the run's quarters."""
    return {
        "raw_trajecten": (
            f"""
            with {RQ}
            select t.*, s.organisation_code, rq.quarter_start_date, rq.quarter_end_date,
                   rq.run_quarter as {RUN_QUARTER}
            from raw.trajecten t join audit.submissions s using (submission_id)
            join rq on rq.run_quarter = s.quarter
            where {CURRENT} and not coalesce(t.is_quarantined, false)
            order by rq.run_order, s.organisation_code, t.source_row
            """,
            {},
        ),
        "raw_banen": (
            f"""
            with {RQ}, traj as (
                select distinct t.submission_id, t.traject_id
                from raw.trajecten t join audit.submissions s using (submission_id)
                join rq on rq.run_quarter = s.quarter
                where {CURRENT} and not coalesce(t.is_quarantined, false)
            )
            select b.*, s.organisation_code, traj.traject_id as known_traject_id,
                   rq.quarter_end_date, rq.run_quarter as {RUN_QUARTER}
            from raw.banen b join audit.submissions s using (submission_id)
            join rq on rq.run_quarter = s.quarter
            left join traj on traj.submission_id = b.submission_id
                          and traj.traject_id = b.traject_id
            where {CURRENT} and not coalesce(b.is_quarantined, false)
            order by rq.run_order, s.organisation_code, b.source_row
            """,
            {},
        ),
        "raw_organisatie": (
            f"""
            with {RQ}
            select o.*, s.organisation_code, s.quarter,
                   exists (
                       select 1 from raw.trajecten t
                       where t.submission_id = o.submission_id and t.trajecttype = 'IPS'
                         and not coalesce(t.is_quarantined, false)
                   ) as has_ips_rows,
                   rq.run_quarter as {RUN_QUARTER}
            from raw.organisatie o join audit.submissions s using (submission_id)
            join rq on rq.run_quarter = s.quarter
            where {CURRENT}
            order by rq.run_order, s.organisation_code
            """,
            {},
        ),
        "audit_submissions": (
            f"""
            with {RQ}
            select s.*, rq.run_quarter as {RUN_QUARTER}
            from audit.submissions s join rq on rq.run_quarter = s.quarter
            order by rq.run_order, s.load_order
            """,
            {},
        ),
        # a quarantined row of an unknown submission belongs to no quarter: every
        # quarter's frame shows it (as the one-quarter query did)
        "audit_quarantined_rows": (
            f"""
            with {RQ}
            select r.*, s.organisation_code, s.submission_id as known_submission_id,
                   rq.run_quarter as {RUN_QUARTER}
            from audit.quarantined_rows r
            left join audit.submissions s using (submission_id)
            join rq on rq.run_quarter = s.quarter or s.submission_id is null
            order by rq.run_order, r.rowid
            """,
            {},
        ),
        "fct_trajectory_quarters": (
            f"""
            select *, quarter as {RUN_QUARTER} from marts.fct_trajectory_quarters
            where list_contains($quarters, quarter)
            """,
            {},
        ),
        "fct_jobs": (
            f"""
            with t as (
                select distinct quarter, organisation_code, traject_id
                from marts.fct_trajectory_quarters where list_contains($quarters, quarter)
            )
            select j.*, t.traject_id as known_traject_id, j.quarter as {RUN_QUARTER}
            from marts.fct_jobs j
            left join t on t.quarter = j.quarter and t.organisation_code = j.organisation_code
                       and t.traject_id = j.traject_id
            where list_contains($quarters, j.quarter)
            order by j.quarter, j.rowid
            """,
            {},
        ),
        "quarterly_indicators": (
            f"""
            select *, quarter as {RUN_QUARTER} from marts.quarterly_indicators
            where list_contains($quarters, quarter)
            """,
            {},
        ),
        "indicator_totals": (
            f"""
            select trajectory_type, financing, indicator,
                   coalesce(sum(numerator) filter (where level = 'national'), 0)
                       as national_value,
                   coalesce(sum(numerator) filter (where level = 'organisation'), 0)
                       as organisations_sum,
                   coalesce(sum(numerator) filter (where level = 'region'), 0)
                       as regions_sum,
                   quarter as {RUN_QUARTER}
            from marts.quarterly_indicators
            where list_contains($quarters, quarter) and ips_scheme = 'ALL' and ips_phase = 'ALL'
              and list_contains($counts, indicator)
            group by all
            order by {RUN_QUARTER}, indicator, trajectory_type, financing
            """,
            {"counts": count_indicators},
        ),
        "region_completeness": (
            f"""
            with {RQ}
            select coalesce(c.region_code, r.region_code) as region,
                   r.region_code as expected_region_code, c.*,
                   coalesce(c.quarter, r.run_quarter) as {RUN_QUARTER}
            from (select * from regions_seed cross join rq) r
            full outer join (
                select * from marts.region_completeness where list_contains($quarters, quarter)
            ) c on c.region_code = r.region_code and c.quarter = r.run_quarter
            order by {RUN_QUARTER}, region
            """,
            {},
        ),
        "region_drop": (
            f"""
            with {RQ}, running as (
                select quarter, region_code, sum(numerator) as running
                from marts.quarterly_indicators
                where level = 'region' and indicator = 'running'
                  and trajectory_type = 'ALL' and financing = 'ALL'
                  and ips_scheme = 'ALL' and ips_phase = 'ALL'
                  and (list_contains($quarters, quarter)
                       or quarter in (select previous_quarter from rq))
                group by all
            ), c as (
                select quarter, region_code, status, mark from marts.region_completeness
                where list_contains($quarters, quarter)
            )
            select r.region_code, r.region_name,
                   coalesce(p.running, 0) as running_previous,
                   coalesce(n.running, 0) as running_current,
                   case when coalesce(p.running, 0) > greatest($min_prev, 0)
                        then greatest(0, (p.running - coalesce(n.running, 0)) / p.running)
                   end as drop_share,
                   c.status, c.mark, rq.run_quarter as {RUN_QUARTER}
            from regions_seed r cross join rq
            left join running p on p.region_code = r.region_code
                               and p.quarter = rq.previous_quarter
            left join running n on n.region_code = r.region_code and n.quarter = rq.run_quarter
            left join c on c.region_code = r.region_code and c.quarter = rq.run_quarter
            order by rq.run_order, r.region_code
            """,
            {},
        ),
    }
