"""An independent reading of the cohort contract, in pandas, for the tests.

Rebuilds trajectory histories from the loader's raw tables exactly as
indicators.md ("Outcomes by time since start (cohorts) v1") words them, and
places dates in months since start with dateutil. Shares no code with the
dbt models; the norms come from the catalogue (seeds/norms.csv).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from dateutil.relativedelta import relativedelta

from werkmonitor.quarters import Quarter
from werkmonitor.reference import read_seed


def months_since_start(start: date, day: date) -> int:
    """The smallest m >= 1 with day <= start + m calendar months (month ends clamp)."""
    month = 1
    while day > start + relativedelta(months=month):
        month += 1
    return month


def _norms() -> dict[str, float]:
    return {row["norm_code"]: float(row["value"]) for row in read_seed("norms")}


def _current_rows(con):
    """Running, non-quarantined trajectory rows and job rows of current submissions."""
    current = """
        with accepted as (
            select submission_id, organisation_code, quarter
            from audit.submissions where status = 'accepted'
            qualify row_number() over (
                partition by organisation_code, quarter order by load_order desc) = 1
        )
    """
    trajectories = con.execute(current + """
        select a.organisation_code, a.quarter, t.*
        from raw.trajecten t join accepted a using (submission_id)
        where not coalesce(t.is_quarantined, false)
          and not coalesce(t.trajecttype = 'IPS' and t.fase = 'ORIENTATIE', false)
          and t.startdatum is not null
    """).df()
    jobs = con.execute(current + """
        select b.* from raw.banen b join accepted a using (submission_id)
        where not coalesce(b.is_quarantined, false)
    """).df()
    return trajectories, jobs


def _first_jobs(histories: pd.DataFrame, jobs: pd.DataFrame) -> pd.DataFrame:
    norms = _norms()
    jobs = jobs.assign(
        is_sustainable=(jobs["uren_per_week"] >= norms["SUSTAINABLE_MIN_HOURS_PER_WEEK"])
        & (jobs["loonwaarde_pct"].fillna(100) >= norms["SUSTAINABLE_MIN_WAGE_VALUE_PCT"])
        & (
            jobs["contractduur_maanden"].isna()
            | (jobs["contractduur_maanden"] >= norms["SUSTAINABLE_MIN_CONTRACT_MONTHS"])
        )
    )
    merged = histories[["submission_id", "traject_id", "startdatum", "observed_end"]].merge(
        jobs.rename(columns={"startdatum": "job_start", "einddatum": "job_end"}),
        on=["submission_id", "traject_id"],
    )
    overlapping = merged[
        (merged["job_start"] <= merged["observed_end"])
        & (merged["job_end"].isna() | (merged["job_end"] >= merged["startdatum"]))
    ]
    keys = ["submission_id", "traject_id"]
    first = overlapping.groupby(keys)["job_start"].min().rename("first_job")
    sustainable = (
        overlapping[overlapping["is_sustainable"]].groupby(keys)["job_start"].min()
        .rename("first_sustainable_job")
    )
    out = histories.join(first, on=keys).join(sustainable, on=keys)
    for column in ("first_job", "first_sustainable_job"):
        later = out[column].notna() & (out[column] < out["startdatum"])
        out.loc[later, column] = out.loc[later, "startdatum"]
    return out


def oracle_histories(con, as_of_quarters) -> pd.DataFrame:
    """One row per trajectory and as-of quarter: its latest running row <= Q."""
    trajectories, jobs = _current_rows(con)
    frames = []
    for as_of in as_of_quarters:
        rows = trajectories[trajectories["quarter"] <= as_of]
        latest = rows.loc[
            rows.sort_values("quarter").groupby(["organisation_code", "traject_id"]).tail(1).index
        ].copy()
        latest["as_of_quarter"] = as_of
        frames.append(latest)
    histories = pd.concat(frames, ignore_index=True)
    quarter_end = histories["quarter"].map(lambda q: Quarter.parse(q).end)
    histories["observed_end"] = histories["einddatum"].where(
        histories["einddatum"].notna(), quarter_end
    )
    for column in ("startdatum", "einddatum", "observed_end"):
        histories[column] = pd.to_datetime(histories[column])
    jobs["startdatum"] = pd.to_datetime(jobs["startdatum"])
    jobs["einddatum"] = pd.to_datetime(jobs["einddatum"])
    return _first_jobs(histories, jobs)


def _month(start, day) -> int:
    return months_since_start(start.date(), day.date())


def oracle_removals(histories: pd.DataFrame) -> pd.DataFrame:
    """Per trajectory, outcome and breakdown: the month it leaves the risk set
    and how (kind 1 event, 2 ended without, 0 censored), uncapped."""
    rows = []
    for record in histories.itertuples(index=False):
        start = record.startdatum
        base = {
            "as_of_quarter": record.as_of_quarter,
            "trajectory_type": record.trajecttype,
            "financing": record.financiering,
            "ips_scheme": record.ips_regeling,
            "region_code": record.arbeidsmarktregio,
            "year": str(start.year),
            "quarter": f"{start.year}Q{(start.month - 1) // 3 + 1}",
        }
        for outcome, first in (
            ("paid_work", record.first_job),
            ("sustainable_paid_work", record.first_sustainable_job),
        ):
            if pd.notna(first):
                month, kind = _month(start, first), 1
            elif pd.notna(record.einddatum):
                month, kind = _month(start, record.einddatum), 2
            else:
                month, kind = _month(start, record.observed_end), 0
            rows.append({**base, "outcome": outcome, "month": month, "kind": kind})
    return _breakdowns(pd.DataFrame(rows))


def _breakdowns(base: pd.DataFrame) -> pd.DataFrame:
    """The mart's breakdowns (indicators.md, "The cohort mart")."""
    frames = []

    def add(frame, level, region, trajectory_type, financing, scheme, cohorts):
        for cohort in cohorts:
            frames.append(frame.assign(
                level=level,
                region_code=frame["region_code"] if region else None,
                trajectory_type=trajectory_type(frame),
                financing=financing(frame),
                ips_scheme=scheme(frame),
                start_cohort="ALL" if cohort == "ALL" else frame[cohort],
            ))

    def keep(column):
        return lambda frame: frame[column]

    def every(_):
        return "ALL"

    national = ("ALL", "year", "quarter")
    for types in (keep("trajectory_type"), every):
        add(base, "national", False, types, every, every, national)
        add(base, "national", False, types, keep("financing"), every, national)
    ips = base[base["trajectory_type"] == "IPS"]
    add(ips, "national", False, keep("trajectory_type"), every, keep("ips_scheme"), national)
    add(base, "region", True, every, every, every, ("ALL", "year"))
    add(ips, "region", True, keep("trajectory_type"), every, every, ("ALL", "year"))
    out = pd.concat(frames, ignore_index=True)
    return out.drop(columns=["year", "quarter"])
