"""A small working warehouse for the publishing tests.

The marts are written here from synthetic trajectory rows by plain pandas
sums, not by dbt: the tests of the publishing step must not wait for (or
break with) the dbt models. Because every cell is a sum over the same
trajectory rows, the additive structure is exact (financing adds up to ALL,
regions and organisations to national), which is what secondary suppression
relies on; the tiny region AM24 and the late organisation ORG06 provide small
cells. Column names follow docs/architecture.md and the interface spec.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from werkmonitor.publish.disclosure.labels import DIMENSIONS, KEY
from werkmonitor.publish.marts import INDICATOR_VALUE_COLUMNS
from werkmonitor.reference import read_seed, regions

QUARTERS = ["2024Q2", "2024Q3"]
ORGS = ["ORG01", "ORG02", "ORG03", "ORG04", "ORG05", "ORG06"]
# Organisation → regions it works in (with weights).
ORG_REGIONS = {
    "ORG01": ["AM18", "AM13"],
    "ORG02": ["AM13"],
    "ORG03": ["AM22", "AM18"],
    "ORG04": ["AM05"],
    "ORG05": ["AM22"],
    "ORG06": ["AM05", "AM24"],
}
# Registered in the register for a region but never delivering: AM22 is incomplete.
REGISTERED_ONLY = {"ORG07": ["AM22"]}
ORG_SIZE = {"ORG01": 420, "ORG02": 260, "ORG03": 330, "ORG04": 150, "ORG05": 90, "ORG06": 40}
ORG_FTE = {"ORG01": 22.0, "ORG02": 15.5, "ORG03": 19.0, "ORG04": 9.0, "ORG05": 6.0, "ORG06": 0.0}
TYPES = ["IPS", "WABZ", "JOBCOACHING", "WERKFIT", "NAAR_WERK", "OVERIG"]
TYPE_WEIGHTS = [0.83, 0.04, 0.04, 0.03, 0.01, 0.05]
FINANCING = ["UWV", "GEMEENTE", "OVERIG"]
SCHEMES = ["EPA", "CMD", "GEEN"]
PHASES = ["AANGEVRAAGD", "GOEDGEKEURD"]
FIRST_JOB_BANDS = ["0_30", "31_60", "61_150", "151_270", "271_plus"]
EMPLOYMENT_BANDS = ["lt_6_months", "6_12_months", "gt_12_months"]

SHARES = {
    "paid_work": ("paid", "running"),
    "sustainable_paid_work": ("sustainable", "running"),
    "ever_paid_work": ("ever", "running"),
    "job_started": ("job_started", "not_paid"),
    "job_stopped": ("job_stopped", "paid"),
    "education": ("education", "running"),
    "trial_placement": ("trial", "running"),
    "volunteer_work": ("volunteer", "running"),
    "day_activity": ("day", "running"),
    "outflow": ("ended", "running"),
    "ended_with_paid_work": ("ended_paid", "ended"),
    "ended_worked_before": ("ended_before", "ended"),
    "ended_never_worked": ("ended_never", "ended"),
    "ended_intended_result": ("intended", "ended"),
    "first_job_within_3_months": ("fj_3m", "paid"),
    "first_job_after_9_months": ("fj_9m", "paid"),
    **{f"first_job_days_{b}": (f"fj_{b}", "paid") for b in FIRST_JOB_BANDS},
    **{f"employment_{b}": (f"emp_{b}", "emp_any") for b in EMPLOYMENT_BANDS},
}
COUNTS = {"running": "running", "started": "started", "ended": "ended"}

# The mart's columns, from the product (the key of a cell, its figures):
# the fixture writes the mart the publish reads, not an oracle of it.
VALUES = INDICATOR_VALUE_COLUMNS
INDICATOR_COLUMNS = [
    *KEY,
    *VALUES[:3],
    "indicator_label_nl",
    "trajectory_type_label_nl",
    "region_name",
    "organisation_name",
    *VALUES[3:],
]
DIMS = DIMENSIONS


def trajectories(seed: int = 7) -> pd.DataFrame:
    """One row per (quarter, organisation, trajectory) with outcome flags."""
    rng = np.random.default_rng(seed)
    rows = []
    for qi, quarter in enumerate(QUARTERS):
        for org in ORGS:
            if org == "ORG06" and quarter == "2024Q2":
                continue  # delivers from Q3 on: like-for-like differs from plain
            n = ORG_SIZE[org] + 15 * qi
            org_regions = ORG_REGIONS[org]
            weights = [0.96, 0.04] if org == "ORG06" else [1 / len(org_regions)] * len(org_regions)
            for i in range(n):
                ttype = rng.choice(TYPES, p=TYPE_WEIGHTS)
                if org == "ORG05" and ttype == "WABZ":
                    ttype = "IPS"
                if ttype in ("WERKFIT", "NAAR_WERK"):
                    financing = "UWV"
                else:
                    financing = rng.choice(FINANCING, p=[0.5, 0.3, 0.2])
                is_ips = ttype == "IPS"
                orientation = is_ips and rng.random() < 0.12
                paid = rng.random() < 0.37
                ever = paid or rng.random() < 0.12
                ended = rng.random() < 0.15
                band = rng.choice(FIRST_JOB_BANDS, p=[0.15, 0.1, 0.2, 0.15, 0.4])
                rows.append(
                    {
                        "quarter": quarter,
                        "organisation_code": org,
                        "traject_id": f"{org}-T{i:04d}",
                        "region_code": rng.choice(org_regions, p=weights),
                        "trajectory_type": ttype,
                        "financing": financing,
                        "ips_scheme": rng.choice(SCHEMES, p=[0.6, 0.15, 0.25]) if is_ips else None,
                        "ips_phase": (None if not is_ips else rng.choice(PHASES, p=[0.08, 0.92])),
                        "orientation": orientation,
                        "running": not orientation,
                        "started": rng.random() < 0.14,
                        "ended": ended,
                        "paid": paid,
                        "sustainable": paid and rng.random() < 0.8,
                        "ever": ever,
                        "job_started": (not paid) and rng.random() < 0.1,
                        "job_stopped": paid and rng.random() < 0.05,
                        "education": rng.random() < 0.08,
                        "trial": rng.random() < 0.04,
                        "volunteer": rng.random() < 0.13,
                        "day": rng.random() < 0.05,
                        "ended_paid": ended and paid,
                        "ended_before": ended and not paid and ever,
                        "ended_never": ended and not ever,
                        "intended": ended and ever,
                        "fj_band": band if paid else None,
                        "emp_band": (
                            rng.choice(EMPLOYMENT_BANDS, p=[0.3, 0.15, 0.55])
                            if ttype == "JOBCOACHING" and paid
                            else None
                        ),
                    }
                )
    frame = pd.DataFrame(rows)
    orient = frame["orientation"]
    flags = [
        "started",
        "ended",
        "paid",
        "sustainable",
        "ever",
        "job_started",
        "job_stopped",
        "education",
        "trial",
        "volunteer",
        "day",
        "ended_paid",
        "ended_before",
        "ended_never",
        "intended",
    ]
    frame.loc[orient, flags] = False
    frame.loc[orient, ["fj_band", "emp_band"]] = None
    frame.loc[orient, "ips_phase"] = "ORIENTATIE"
    frame["not_paid"] = frame["running"] & ~frame["paid"]
    for band in FIRST_JOB_BANDS:
        frame[f"fj_{band}"] = frame["fj_band"] == band
    frame["fj_3m"] = frame["fj_band"].isin(["0_30", "31_60"])
    frame["fj_9m"] = frame["fj_band"] == "271_plus"
    for band in EMPLOYMENT_BANDS:
        frame[f"emp_{band}"] = frame["emp_band"] == band
    frame["emp_any"] = frame["emp_band"].notna()
    return frame


def _breakdown_rows(t: pd.DataFrame) -> pd.DataFrame:
    """Every trajectory copied into each breakdown cell it counts in."""
    out = []
    for level in ("national", "region", "organisation"):
        base = t.copy()
        base["level"] = level
        if level != "region":
            base["region_code"] = None
        if level != "organisation":
            base["organisation_code"] = None
        for ttype_all in (False, True):
            for fin_all in (False, True):
                part = base.copy()
                if ttype_all:
                    part["trajectory_type"] = "ALL"
                if fin_all:
                    part["financing"] = "ALL"
                part["ips_scheme"] = "ALL"
                part["ips_phase"] = "ALL"
                out.append(part)
        ips = base[base["trajectory_type"] == "IPS"]
        scheme = ips.assign(financing="ALL", ips_phase="ALL")
        phase = ips[ips["running"]].assign(financing="ALL", ips_scheme="ALL")
        out += [scheme, phase]
    return pd.concat(out, ignore_index=True)


def indicators_from(t: pd.DataFrame) -> pd.DataFrame:
    """Long indicator rows (quarter × breakdown × indicator) from trajectory rows."""
    cells = _breakdown_rows(t)
    value_cols = [c for c in cells.columns if cells[c].dtype == bool]
    keyed = cells.fillna({"region_code": "", "organisation_code": ""})
    sums = keyed.groupby(DIMS, dropna=False)[value_cols].sum()
    orgs_running = (
        keyed[keyed["running"]].groupby(DIMS)["organisation_code_src"].nunique()
        if "organisation_code_src" in keyed
        else None
    )
    sums = sums.join(orgs_running.rename("orgs"), how="left") if orgs_running is not None else sums
    sums = sums.reset_index()
    rows = []
    for rec in sums.to_dict("records"):
        key = {k: rec[k] for k in DIMS}
        has_any = rec["running"] + rec["orientation"] > 0
        if not has_any:
            continue
        if rec["trajectory_type"] == "IPS" and rec["ips_phase"] == "ALL" and rec["orientation"]:
            rows.append(
                {
                    **key,
                    "indicator": "orientation",
                    "numerator": rec["orientation"],
                    "denominator": None,
                }
            )
        if rec["running"] == 0:
            continue
        for ind, col in COUNTS.items():
            rows.append({**key, "indicator": ind, "numerator": rec[col], "denominator": None})
        for ind, (num, den) in SHARES.items():
            if rec[den] == 0:
                continue
            if ind.startswith("employment_") and rec["trajectory_type"] != "JOBCOACHING":
                continue
            rows.append({**key, "indicator": ind, "numerator": rec[num], "denominator": rec[den]})
        if rec.get("orgs"):
            rows.append(
                {
                    **key,
                    "indicator": "avg_per_organisation",
                    "numerator": rec["running"],
                    "denominator": rec["orgs"],
                }
            )
    frame = pd.DataFrame(rows)
    frame["numerator"] = frame["numerator"].astype(float)
    frame["denominator"] = frame["denominator"].astype(float)
    fte = _clients_per_fte(t)
    frame = pd.concat([frame, fte], ignore_index=True)
    frame["value"] = np.where(
        frame["denominator"].isna(), frame["numerator"], frame["numerator"] / frame["denominator"]
    )
    return frame


def _clients_per_fte(t: pd.DataFrame) -> pd.DataFrame:
    ips = t[(t["trajectory_type"] == "IPS") & t["running"]]
    rows = []
    for quarter, q_rows in ips.groupby("quarter"):
        per_org = q_rows.groupby("organisation_code").size()
        with_fte = [o for o in per_org.index if ORG_FTE[o] > 0]
        base = {
            "quarter": quarter,
            "region_code": "",
            "trajectory_type": "IPS",
            "financing": "ALL",
            "ips_scheme": "ALL",
            "ips_phase": "ALL",
            "indicator": "clients_per_fte",
        }
        rows.append(
            {
                **base,
                "level": "national",
                "organisation_code": "",
                "numerator": float(per_org[with_fte].sum()),
                "denominator": float(sum(ORG_FTE[o] for o in with_fte)),
            }
        )
        for org in with_fte:
            rows.append(
                {
                    **base,
                    "level": "organisation",
                    "organisation_code": org,
                    "numerator": float(per_org[org]),
                    "denominator": ORG_FTE[org],
                }
            )
    return pd.DataFrame(rows)


def _as(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """numerator, denominator, value renamed to the linked columns ``prefix*``."""
    return frame.rename(columns={c: prefix + c for c in ("numerator", "denominator", "value")})


def quarterly_indicators(t: pd.DataFrame | None = None) -> pd.DataFrame:
    t = trajectories() if t is None else t
    t = t.assign(organisation_code_src=t["organisation_code"])
    plain = indicators_from(t)
    key = [*DIMS[1:], "indicator"]
    q2, q3 = QUARTERS
    prev = _as(plain[plain["quarter"] == q2].assign(quarter=q3), "previous_")
    prev = prev[[*key, "quarter", "previous_numerator", "previous_denominator", "previous_value"]]
    frame = plain.merge(prev, on=["quarter", *key], how="left")
    both = [o for o in ORGS if set(t.loc[t.organisation_code == o, "quarter"]) == set(QUARTERS)]
    lfl = indicators_from(t[t["organisation_code"].isin(both)])
    lfl_cur = _as(lfl[lfl["quarter"] == q3], "like_for_like_")
    lfl_prev = _as(lfl[lfl["quarter"] == q2].assign(quarter=q3), "like_for_like_previous_")
    frame = frame.merge(lfl_cur, on=["quarter", *key], how="left")
    frame = frame.merge(lfl_prev, on=["quarter", *key], how="left")
    frame.loc[frame["quarter"] == q3, "like_for_like_organisations"] = len(both)
    frame["change_absolute"] = frame["value"] - frame["previous_value"]
    frame["change_relative"] = frame["change_absolute"] / frame["previous_value"]
    is_share = frame["denominator"].notna()
    frame["change_percentage_points"] = np.where(is_share, frame["change_absolute"] * 100, np.nan)
    labels = {r["indicator"]: r["label_nl"] for r in read_seed("indicators")}
    type_labels = {r["trajectory_type"]: r["label_nl"] for r in read_seed("trajectory_types")}
    type_labels["ALL"] = "Alle trajecten"
    org_names = {r["organisation_code"]: r["organisation_name"] for r in read_seed("organisations")}
    frame["indicator_label_nl"] = frame["indicator"].map(labels)
    frame["trajectory_type_label_nl"] = frame["trajectory_type"].map(type_labels)
    frame["region_name"] = frame["region_code"].map(regions())
    frame["organisation_name"] = frame["organisation_code"].map(org_names)
    frame = frame.replace({"region_code": {"": None}, "organisation_code": {"": None}})
    return frame[INDICATOR_COLUMNS]


def region_completeness() -> pd.DataFrame:
    rows = []
    served = {r for rs in ORG_REGIONS.values() for r in rs}
    for quarter in QUARTERS:
        for code, name in regions().items():
            register = {**ORG_REGIONS, **REGISTERED_ONLY}
            expected = [o for o, rs in register.items() if code in rs]
            delivered = [
                o
                for o in expected
                if o in ORG_REGIONS and not (o == "ORG06" and quarter == "2024Q2")
            ]
            if code not in served:
                status, mark = "no_provider", "**"
            elif not delivered:
                status, mark = "no_data", "*"
            elif len(delivered) < len(expected):
                status, mark = "incomplete", "*"
            else:
                status, mark = "complete", ""
            rows.append(
                {
                    "quarter": quarter,
                    "region_code": code,
                    "status": status,
                    "organisations_expected": len(expected),
                    "organisations_delivered": len(delivered),
                    "missing_organisations": sorted(set(expected) - set(delivered)),
                    "region_name": name,
                    "mark": mark,
                    "unregistered_organisations": [],
                    "rows_unregistered": 0,
                }
            )
    return pd.DataFrame(rows)


def regional_ambition(indicators: pd.DataFrame) -> pd.DataFrame:
    started = indicators[
        (indicators.level == "region")
        & (indicators.indicator == "started")
        & (indicators.trajectory_type == "ALL")
        & (indicators.financing == "ALL")
    ]
    rows = []
    for code, name in regions().items():
        ytd = 0.0
        for quarter in QUARTERS:
            hit = started[(started.quarter == quarter) & (started.region_code == code)]
            ytd += float(hit["numerator"].sum())
            target = 100 if code in ("AM18", "AM22") else 25
            rows.append(
                {
                    "year": 2024,
                    "quarter": quarter,
                    "region_code": code,
                    "region_name": name,
                    "division_code": "CHAMPIONS_LEAGUE" if target == 100 else "EREDIVISIE",
                    "yearly_target": target,
                    "started_year_to_date": ytd,
                    "share_of_target": ytd / target,
                }
            )
    return pd.DataFrame(rows)


def submissions(t: pd.DataFrame | None = None) -> pd.DataFrame:
    """One accepted file per organisation and quarter; its content hash is a
    hash of the organisation's trajectory rows that quarter (other rows, e.g.
    another seed or a correction, give another hash, as a new file would)."""
    t = _cached(7)[0] if t is None else t
    rows = []
    for quarter in QUARTERS:
        for org in ORGS:
            if org == "ORG06" and quarter == "2024Q2":
                continue
            own = t[(t["quarter"] == quarter) & (t["organisation_code"] == org)]
            content = pd.util.hash_pandas_object(own.astype(str), index=False).to_numpy()
            digest = hashlib.sha256(f"{org}{quarter}".encode() + content.tobytes()).hexdigest()
            rows.append(
                {
                    "submission_id": f"{org}_{quarter}_{digest[:12]}",
                    "file_path": f"{quarter}/{org}_{quarter}.xlsx",
                    "file_format": "xlsx",
                    "organisation_code": org,
                    "quarter": quarter,
                    "content_hash": digest,
                    "first_loaded_at": pd.Timestamp("2024-10-15 09:00"),
                    "load_order": len(rows) + 1,
                    "status": "accepted",
                    "rows_accepted": 100,
                    "rows_quarantined": 0,
                    "rejection_reason": None,
                    "superseded_by": None,
                }
            )
    return pd.DataFrame(rows)


@functools.lru_cache(maxsize=4)
def _cached(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Trajectories and indicators per seed, computed once per test session."""
    t = trajectories(seed)
    return t, quarterly_indicators(t)


def build_warehouse(
    path: Path,
    gate_runs: list[tuple[str, str, bool]] | None = None,
    indicators: pd.DataFrame | None = None,
    seed: int = 7,
    rows: pd.DataFrame | None = None,
) -> Path:
    """Write the fixture warehouse to ``path``.

    ``gate_runs``: (quarter, run_at, passed) rows for ``audit.quality_gate_runs``;
    None leaves that table out (the quality gates have not run). ``rows``:
    trajectory rows to build from instead of the seed's (e.g. a correction).
    """
    if rows is None:
        t, cached = _cached(seed)
        qi = cached.copy() if indicators is None else indicators
    else:
        t = rows
        qi = quarterly_indicators(rows) if indicators is None else indicators
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        for schema in ("marts", "audit"):
            con.execute(f"create schema if not exists {schema}")
        tables = {
            "marts.quarterly_indicators": qi,
            "marts.region_completeness": region_completeness(),
            "marts.regional_ambition": regional_ambition(qi),
            "marts.fct_trajectory_quarters": t[
                ["quarter", "organisation_code", "traject_id", "region_code", "trajectory_type"]
            ],
            "marts.dim_organisations": pd.DataFrame(read_seed("organisations")),
            "marts.dim_regions": pd.DataFrame(
                [{"region_code": c, "region_name": n} for c, n in regions().items()]
            ),
            "audit.submissions": submissions(t),
        }
        for name, frame in tables.items():
            con.register("frame", frame)
            con.execute(f"create or replace table {name} as select * from frame")
            con.unregister("frame")
        con.execute(
            "alter table marts.region_completeness alter missing_organisations type varchar[]"
        )
        if gate_runs is not None:
            con.execute(
                "create table audit.quality_gate_runs (quarter varchar, run_at timestamp, "
                "passed boolean, blocking_failures integer)"
            )
            for quarter, run_at, passed in gate_runs:
                con.execute(
                    "insert into audit.quality_gate_runs values (?, ?, ?, ?)",
                    [quarter, run_at, passed, 0 if passed else 1],
                )
    finally:
        con.close()
    return path
