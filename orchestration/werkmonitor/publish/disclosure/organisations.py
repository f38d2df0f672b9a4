"""Each organisation's own share of the public cells (its view of the table).

An organisation knows its own figures exactly, per region it works in: in a
region with two providers either one subtracts itself from the region's row
and reads the other's count. The mart has organisation rows for the whole
organisation only, so the per-region shares are counted here from
``marts.fct_trajectory_quarters`` with the mart's filters; every indicator
whose shares do not add up to the public region cells exactly is left out
(and named in the audit summary), so a change in a definition cannot make
the organisation view silently wrong.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

# indicator -> filter over fct_trajectory_quarters (as marts.quarterly_indicators counts)
FILTERS = {
    "orientation": "is_orientation",
    "orientation_ended": "is_orientation_ended",
    "running": "is_running",
    "started": "is_started",
    "ended": "is_ended",
    "outflow": "is_ended",
    "avg_per_organisation": "is_running",
    "paid_work": "is_running and has_paid_work",
    "sustainable_paid_work": "is_running and has_sustainable_paid_work",
    "ever_paid_work": "is_running and has_ever_paid_work",
    "job_started": "is_running and has_job_started",
    "job_stopped": "is_running and has_job_stopped",
    "education": "is_running and has_education",
    "trial_placement": "is_running and has_trial_placement",
    "volunteer_work": "is_running and has_volunteer_work",
    "day_activity": "is_running and has_day_activity",
    "ended_with_paid_work": "is_ended and outflow_category = 'paid_work'",
    "ended_worked_before": "is_ended and outflow_category = 'worked_before'",
    "ended_never_worked": "is_ended and outflow_category = 'never_worked'",
    "ended_intended_result": "is_ended and has_intended_result",
    "first_job_within_3_months": "is_running and has_paid_work and days_to_first_job <= 90",
    "first_job_after_9_months": "is_running and has_paid_work and days_to_first_job >= 271",
    **{
        f"first_job_days_{b}": f"is_running and has_paid_work and first_job_day_band = '{b}'"
        for b in ("0_30", "31_60", "61_150", "151_270", "271_plus")
    },
    **{
        f"employment_{b}": f"is_running and employment_band = '{b}'"
        for b in ("lt_6_months", "6_12_months", "gt_12_months")
    },
    "employed_at_window_end": "is_running and employment_band is not null",
}
BREAKDOWNS = [  # (trajectory type kept, financing, scheme, phase): the mart's breakdowns
    ("type", "fin", None, None),
    ("type", None, None, None),
    (None, "fin", None, None),
    (None, None, None, None),
    ("ips", None, "scheme", None),
    ("ips", None, None, "phase"),
]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute(f"describe {table}").fetchall()}


def _columns_of(condition: str) -> set[str]:
    words = condition.replace("'", " ' ").split()
    quoted = False
    out = set()
    for w in words:
        if w == "'":
            quoted = not quoted
        elif not quoted and w.isidentifier() and w not in ("and", "or", "not", "is", "null"):
            out.add(w)
    return out


def region_shares(con: duckdb.DuckDBPyConnection, table: str, quarters: list[str]) -> pd.DataFrame:
    """quarter, organisation_code, region_code, breakdown, indicator, numerator."""
    cols = _columns(con, table)
    usable = {k: v for k, v in FILTERS.items() if _columns_of(v) <= cols}
    sums = ", ".join(f'count(*) filter (where {f}) as "{k}"' for k, f in usable.items())
    qlist = ", ".join("'" + q.replace("'", "") + "'" for q in quarters) or "NULL"
    base = con.execute(
        f"select quarter, organisation_code, region_code, trajectory_type, financing, "
        f"ips_scheme, ips_phase, {sums} from {table} where quarter in ({qlist}) group by all"
    ).df()
    parts = []
    for ttype, fin, scheme, phase in BREAKDOWNS:
        frame = base
        if ttype == "ips" or scheme or phase:
            frame = frame[frame["trajectory_type"] == "IPS"]
        frame = frame.assign(
            trajectory_type=frame["trajectory_type"] if ttype else "ALL",
            financing=frame["financing"] if fin else "ALL",
            ips_scheme=frame["ips_scheme"] if scheme else "ALL",
            ips_phase=frame["ips_phase"] if phase else "ALL",
        )
        if phase:
            frame = frame[frame["ips_phase"].isin(["AANGEVRAAGD", "GOEDGEKEURD"])]
        keys = [
            "quarter",
            "organisation_code",
            "region_code",
            "trajectory_type",
            "financing",
            "ips_scheme",
            "ips_phase",
        ]
        parts.append(frame.groupby(keys, dropna=False)[list(usable)].sum().reset_index())
    wide = pd.concat(parts, ignore_index=True)
    long = wide.melt(id_vars=keys, var_name="indicator", value_name="numerator")
    return long[long["numerator"] > 0].reset_index(drop=True)


def reconcile(shares: pd.DataFrame, public: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Keep the indicators whose shares add up to the public region cells."""
    keys = [
        "quarter",
        "region_code",
        "trajectory_type",
        "financing",
        "ips_scheme",
        "ips_phase",
        "indicator",
    ]
    region = public[public["level"] == "region"][[*keys, "numerator"]]
    total = shares.groupby(keys)["numerator"].sum().rename("share_sum").reset_index()
    both = region.merge(total, on=keys, how="outer").fillna({"numerator": 0, "share_sum": 0})
    bad = both[np.abs(both["numerator"] - both["share_sum"]) > 1e-9]["indicator"].unique()
    bad = sorted(set(map(str, bad)))
    return shares[~shares["indicator"].isin(bad)].reset_index(drop=True), bad
