"""A small, internally consistent warehouse for testing and timing the gates.

The loader and the dbt models are written by other people at the same time;
the gates are tested against tables built here with exactly the contracted
columns (docs/architecture.md, ../shared/spec/interface.md), so a test that
breaks one value knows every other gate passes. Also used for the timing run:
``python -m werkmonitor.quality.synthetic --trajectories 5000``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from werkmonitor import reference
from werkmonitor.config import SEEDS_DIR
from werkmonitor.quarters import Quarter

RAW_DDL = """
create schema if not exists raw;
create schema if not exists audit;
create schema if not exists marts;
create table raw.trajecten (
    submission_id varchar, source_row integer, traject_id varchar, arbeidsmarktregio varchar,
    trajecttype varchar, ips_regeling varchar, fase varchar, financiering varchar,
    financiering_detail varchar, startdatum date, einddatum date, uitstroomreden varchar,
    opleiding boolean, proefplaatsing boolean, vrijwilligerswerk boolean, dagbesteding boolean,
    is_quarantined boolean);
create table raw.banen (
    submission_id varchar, source_row integer, traject_id varchar, baan_nr integer,
    startdatum date, einddatum date, uren_per_week double, loonwaarde_pct integer,
    contractduur_maanden integer, contractsoort varchar, is_quarantined boolean);
create table raw.organisatie (
    submission_id varchar, source_row integer, organisatie_code varchar, kwartaal varchar,
    fte_trajectbegeleiding double);
create table audit.submissions (
    submission_id varchar, file_path varchar, file_format varchar, organisation_code varchar,
    quarter varchar, content_hash varchar, first_loaded_at timestamp, load_order bigint,
    status varchar, rows_accepted integer, rows_quarantined integer, rejection_reason varchar,
    superseded_by varchar);
create table audit.rejections (
    submission_id varchar, sheet varchar, source_row integer, column_name varchar,
    rule_code varchar, message varchar);
create table audit.quarantined_rows (
    submission_id varchar, sheet varchar, source_row integer, traject_id varchar,
    column_name varchar, value varchar, rule_code varchar, message varchar);
"""

TYPES = ["IPS", "WABZ", "JOBCOACHING", "WERKFIT", "NAAR_WERK", "OVERIG"]
TYPE_P = [0.8, 0.04, 0.04, 0.04, 0.03, 0.05]
FINANCING = ["UWV", "GEMEENTE", "OVERIG"]
FLAG_INDICATORS = {
    "paid_work": "has_paid_work",
    "sustainable_paid_work": "has_sustainable_paid_work",
    "ever_paid_work": "has_ever_paid_work",
    "education": "has_education",
    "trial_placement": "has_trial_placement",
    "volunteer_work": "has_volunteer_work",
    "day_activity": "has_day_activity",
}


@dataclass
class SyntheticSpec:
    quarter: str = "2024Q3"
    organisations: int = 5
    trajectories_per_org: int = 40
    jobs_per_trajectory: float = 1.0
    missing: list[str] = field(default_factory=list)
    quarantine_org: str | None = "ORG01"
    rejected_org: str | None = "ORG02"
    superseded_org: str | None = "ORG03"
    all_share_indicators: bool = False
    seed: int = 7


def write_seeds(folder: Path, organisations: int, quarter: str = "2022Q4") -> Path:
    """Copy the real code lists and regions; write a small register of ``ORG01``….

    Each organisation serves a few regions so that some regions have no
    provider (status ``no_provider``) and the register is small enough to
    count by hand in a test.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for csv in SEEDS_DIR.glob("*.csv"):
        shutil.copy(csv, folder / csv.name)
    regions = list(reference.regions(SEEDS_DIR))
    orgs = [f"ORG{i:02d}" for i in range(1, organisations + 1)]
    lines = ["organisation_code,organisation_name,organisation_kind,active_from_quarter,"
             "active_to_quarter"]
    lines += [f"{org},Proefinstelling {org[3:]},GGZ_INSTELLING,{quarter}," for org in orgs]
    (folder / "organisations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["organisation_code,region_code,trajectory_type,valid_from_quarter,valid_to_quarter"]
    for i, org in enumerate(orgs):
        for region in regions_of(i, regions):
            lines.append(f"{org},{region},IPS,{quarter},")
    (folder / "organisation_regions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def regions_of(index: int, regions: list[str]) -> list[str]:
    """Organisation ``index`` serves regions i and i+1 (mod 30); the last five have none.

    Neighbouring organisations share a region, so one missing organisation
    leaves a region ``incomplete`` rather than only ``no_data``.
    """
    served = regions[:30]
    return [served[index % 30], served[(index + 1) % 30]]


def _submission_id(org: str, quarter: str, version: str) -> str:
    return f"{org}_{quarter}_{version:0>12}"


def _trajectories(rng, org, sub, quarter: Quarter, regions, n) -> pd.DataFrame:
    types = rng.choice(TYPES, size=n, p=TYPE_P)
    start_offset = rng.integers(-500, (quarter.end - quarter.start).days + 1, size=n)
    starts = [quarter.start + timedelta(days=int(d)) for d in start_offset]
    ended = rng.random(n) < 0.15
    ends = []
    for s, e in zip(starts, ended, strict=True):
        if not e:
            ends.append(None)
            continue
        lo = max(s, quarter.start)
        ends.append(lo + timedelta(days=int(rng.integers(0, (quarter.end - lo).days + 1))))
    is_ips = types == "IPS"
    phases = rng.choice(["ORIENTATIE", "AANGEVRAAGD", "GOEDGEKEURD"], size=n, p=[0.1, 0.1, 0.8])
    financing = rng.choice(FINANCING, size=n)
    return pd.DataFrame({
        "submission_id": sub,
        "source_row": np.arange(2, n + 2, dtype="int32"),
        "traject_id": [f"{org}-T{i:05d}" for i in range(n)],
        "arbeidsmarktregio": rng.choice(regions, size=n),
        "trajecttype": types,
        "ips_regeling": np.where(is_ips, rng.choice(["EPA", "CMD", "GEEN"], size=n), None),
        "fase": np.where(is_ips, phases, None),
        "financiering": financing,
        "financiering_detail": np.where(financing == "OVERIG", "ZPM", None),
        "startdatum": starts,
        "einddatum": ends,
        "uitstroomreden": [rng.choice(["BAAN", "DOEL_NIET_BEREIKT", "OVERIG"]) if e else None
                           for e in ends],
        "opleiding": rng.random(n) < 0.1,
        "proefplaatsing": rng.random(n) < 0.05,
        "vrijwilligerswerk": rng.random(n) < 0.1,
        "dagbesteding": rng.random(n) < 0.05,
        "is_quarantined": False,
    })


def _jobs(rng, sub, traj: pd.DataFrame, quarter: Quarter, per_traject: float) -> pd.DataFrame:
    rows = []
    counts = rng.poisson(per_traject, size=len(traj))
    for t, count in zip(traj.itertuples(), counts, strict=True):
        for nr in range(1, int(count) + 1):
            start = t.startdatum + timedelta(days=int(rng.integers(0, 200)))
            start = min(start, quarter.end)
            end = None if rng.random() < 0.6 else start + timedelta(days=int(rng.integers(0, 300)))
            rows.append((sub, t.traject_id, nr, start, end, float(rng.integers(4, 40)),
                         None if rng.random() < 0.7 else int(rng.integers(20, 100)),
                         None if rng.random() < 0.6 else int(rng.integers(1, 24)),
                         rng.choice(["LOONDIENST", "UITZEND", "OVERIG"])))
    jobs = pd.DataFrame(rows, columns=["submission_id", "traject_id", "baan_nr", "startdatum",
                                       "einddatum", "uren_per_week", "loonwaarde_pct",
                                       "contractduur_maanden", "contractsoort"])
    jobs.insert(1, "source_row", np.arange(2, len(jobs) + 2, dtype="int32"))
    jobs["baan_nr"] = jobs["baan_nr"].astype("int32")
    jobs["loonwaarde_pct"] = jobs["loonwaarde_pct"].astype("Int32")
    jobs["contractduur_maanden"] = jobs["contractduur_maanden"].astype("Int32")
    jobs["is_quarantined"] = False
    return jobs


def _overlaps(jobs: pd.DataFrame, lo: pd.Series, hi: pd.Series) -> pd.Series:
    return (jobs["startdatum"] <= hi) & (jobs["einddatum"].isna() | (jobs["einddatum"] >= lo))


def build_facts(traj: pd.DataFrame, jobs: pd.DataFrame, quarter: Quarter) -> tuple[pd.DataFrame,
                                                                                    pd.DataFrame]:
    """Trajectory and job facts as the indicator spec defines them (simplified windows)."""
    q_start, q_end = pd.Timestamp(quarter.start), pd.Timestamp(quarter.end)
    t = traj.copy()
    t["startdatum"] = pd.to_datetime(t["startdatum"])
    t["einddatum"] = pd.to_datetime(t["einddatum"])
    is_orientation = (t["trajecttype"] == "IPS") & (t["fase"] == "ORIENTATIE")
    running = ~is_orientation
    win_lo = t["startdatum"].where(t["startdatum"] > q_start, q_start)
    win_hi = t["einddatum"].fillna(q_end).where(t["einddatum"].fillna(q_end) < q_end, q_end)
    j = jobs.copy()
    j["startdatum"] = pd.to_datetime(j["startdatum"])
    j["einddatum"] = pd.to_datetime(j["einddatum"])
    j = j.merge(t[["organisation_code", "traject_id", "startdatum"]].assign(
        win_lo=win_lo, win_hi=win_hi), on=["organisation_code", "traject_id"],
        suffixes=("", "_traject"))
    sustainable = ((j["uren_per_week"] >= 12) & (j["loonwaarde_pct"].fillna(100) >= 35)
                   & (j["contractduur_maanden"].fillna(999) >= 3))
    j["paid"] = _overlaps(j, j["win_lo"], j["win_hi"])
    j["sustainable"] = j["paid"] & sustainable
    j["ever"] = _overlaps(j, j["startdatum_traject"], j["win_hi"])
    per = j.groupby(["organisation_code", "traject_id"])[["paid", "sustainable", "ever"]].any()
    t = t.merge(per, how="left", left_on=["organisation_code", "traject_id"], right_index=True)
    for col in ("paid", "sustainable", "ever"):
        t[col] = t[col].astype("boolean").fillna(False).astype(bool) & running
    is_ended = running & t["einddatum"].notna()
    fct = pd.DataFrame({
        "quarter": str(quarter),
        "trajectory_quarter_id": t["organisation_code"] + "|" + t["traject_id"],
        "organisation_code": t["organisation_code"],
        "traject_id": t["traject_id"],
        "submission_id": t["submission_id"],
        "region_code": t["arbeidsmarktregio"],
        "trajectory_type": t["trajecttype"],
        "ips_scheme": t["ips_regeling"],
        "ips_phase": t["fase"],
        "financing": t["financiering"],
        "financing_detail": t["financiering_detail"],
        "start_date": t["startdatum"].dt.date,
        "end_date": t["einddatum"].dt.date,
        "exit_reason": t["uitstroomreden"],
        "is_orientation": is_orientation,
        "is_running": running,
        "is_started": running & (t["startdatum"] >= q_start),
        "is_ended": is_ended,
        "is_orientation_ended": is_orientation & t["einddatum"].notna(),
        "has_paid_work": t["paid"],
        "has_sustainable_paid_work": t["sustainable"],
        "has_ever_paid_work": t["ever"],
        "has_education": running & t["opleiding"],
        "has_trial_placement": running & t["proefplaatsing"],
        "has_volunteer_work": running & t["vrijwilligerswerk"],
        "has_day_activity": running & t["dagbesteding"],
        "outflow_category": np.where(
            is_ended, np.where(t["paid"], "paid_work",
                               np.where(t["ever"], "worked_before", "never_worked")), None),
    })
    fct_jobs = pd.DataFrame({
        "quarter": str(quarter),
        "organisation_code": j["organisation_code"],
        "traject_id": j["traject_id"],
        "job_number": j["baan_nr"],
        "start_date": j["startdatum"].dt.date,
        "end_date": j["einddatum"].dt.date,
        "hours_per_week": j["uren_per_week"],
        "is_sustainable": sustainable,
    })
    return fct, fct_jobs


def build_indicators(fct: pd.DataFrame, all_share_indicators: bool,
                     seeds_dir: Path) -> pd.DataFrame:
    """quarterly_indicators for the breakdowns the spec requires, at every level."""
    f = fct.assign(
        ips_scheme=fct["ips_scheme"].fillna("GEEN"), ips_phase=fct["ips_phase"].fillna("ALL"),
        orientation=fct["is_orientation"], running=fct["is_running"],
        started=fct["is_started"], ended=fct["is_ended"],
        **{ind: fct[col] for ind, col in FLAG_INDICATORS.items()},
    )
    f["outflow"] = f["ended"]
    share_names = list(FLAG_INDICATORS) + ["outflow"]
    extra = []
    if all_share_indicators:
        kinds = {r["indicator"]: r["kind"] for r in reference.read_seed("indicators", seeds_dir)}
        extra = [i for i, k in kinds.items() if k == "share" and i not in share_names]
        rng = np.random.default_rng(1)
        for ind in extra:
            f[ind] = f["running"] & (rng.random(len(f)) < 0.3)
    counts = ["orientation", "running", "started", "ended"]
    measures = counts + share_names + extra
    breakdowns = [("trajectory_type",), ("trajectory_type", "financing"),
                  ("trajectory_type", "ips_scheme"), ("trajectory_type", "ips_phase")]
    levels = {"national": [], "region": ["region_code"], "organisation": ["organisation_code"]}
    frames = []
    for level, level_cols in levels.items():
        for dims in breakdowns:
            for all_types in (False, True):
                if all_types and dims != ("trajectory_type",) and dims != (
                        "trajectory_type", "financing"):
                    continue
                g = f if not all_types else f.assign(trajectory_type="ALL")
                if dims[-1] in ("ips_scheme", "ips_phase"):
                    g = g[(g["trajectory_type"] == "IPS") & g[dims[-1]].ne("ALL")]
                    g = g[g["is_running"]]
                agg = g.groupby(level_cols + list(dims), dropna=False)[measures].sum().reset_index()
                for col in ("financing", "ips_scheme", "ips_phase"):
                    if col not in dims:
                        agg[col] = "ALL"
                agg["level"] = level
                frames.append(agg)
    wide = pd.concat(frames, ignore_index=True)
    for col in ("region_code", "organisation_code"):
        if col not in wide.columns:
            wide[col] = None
    keys = ["level", "region_code", "organisation_code", "trajectory_type", "financing",
            "ips_scheme", "ips_phase"]
    wide = wide[wide["running"] + wide["orientation"] > 0]
    long = wide.melt(id_vars=keys, value_vars=measures, var_name="indicator",
                     value_name="numerator")
    long = long[~((long["indicator"] == "orientation") & ~long["trajectory_type"].isin(
        ["IPS", "ALL"]))]
    running = wide.set_index(keys)["running"]
    long = long.join(running.rename("running"), on=keys)
    is_count = long["indicator"].isin(counts)
    long["numerator"] = long["numerator"].astype(float)
    long["denominator"] = np.where(is_count, np.nan, long["running"].astype(float))
    long["value"] = np.where(is_count, long["numerator"],
                             long["numerator"] / long["denominator"].replace(0, np.nan))
    long.insert(0, "quarter", fct["quarter"].iloc[0])
    return long.drop(columns="running").reset_index(drop=True)


def build_completeness(quarter: Quarter, delivered: list[str], seeds_dir: Path) -> pd.DataFrame:
    regions = reference.regions(seeds_dir)
    entries = [e for e in reference.organisation_regions(seeds_dir) if e.is_valid(quarter)]
    rows = []
    for code, name in regions.items():
        expected = sorted({e.organisation_code for e in entries if e.region_code == code})
        got = [o for o in expected if o in delivered]
        missing = [o for o in expected if o not in delivered]
        status = ("no_provider" if not expected else "no_data" if not got
                  else "incomplete" if missing else "complete")
        rows.append({"quarter": str(quarter), "region_code": code, "status": status,
                     "organisations_expected": len(expected),
                     "organisations_delivered": len(got), "missing_organisations": missing,
                     "region_name": name,
                     "mark": {"complete": "", "no_provider": "**"}.get(status, "*"),
                     "unregistered_organisations": [], "rows_unregistered": 0})
    return pd.DataFrame(rows)


def build_quarter(spec: SyntheticSpec, seeds_dir: Path, quarter: Quarter, load_order: int):
    """Frames of one quarter: raw, audit, facts, marts."""
    rng = np.random.default_rng(spec.seed + quarter.q + quarter.year)
    regions_all = list(reference.regions(seeds_dir))
    orgs = sorted(reference.organisations(seeds_dir))
    q = str(quarter)
    subs, trajs, jobs, org_rows, quarantined, rejections = [], [], [], [], [], []
    for i, org in enumerate(orgs):
        if org in spec.missing:
            continue
        regions = regions_of(i, regions_all)
        if org == spec.superseded_org:
            old = _submission_id(org, q, "0ld")
            subs.append(dict(submission_id=old, file_path=f"{q}/{org}_{q}.xlsx",
                             organisation_code=org, status="superseded", rows_accepted=3,
                             rows_quarantined=0, rejection_reason=None,
                             superseded_by=_submission_id(org, q, "new")))
            t_old = _trajectories(rng, org, old, quarter, regions, 3)
            t_old["traject_id"] = f"{org}-T00000"  # duplicates, but superseded: not checked
            trajs.append(t_old)
        if org == spec.rejected_org:
            rej = _submission_id(org, q, "rej")
            subs.append(dict(submission_id=rej, file_path=f"{q}/{org}_{q}_fout.xlsx",
                             organisation_code=org, status="rejected", rows_accepted=0,
                             rows_quarantined=0, superseded_by=None,
                             rejection_reason="Tabblad 'banen' ontbreekt."))
            rejections.append(dict(submission_id=rej, sheet="banen", source_row=None,
                                   column_name=None, rule_code="missing_sheet",
                                   message="Tabblad 'banen' ontbreekt."))
        sub = _submission_id(org, q, "new" if org == spec.superseded_org else "a")
        t = _trajectories(rng, org, sub, quarter, regions, spec.trajectories_per_org)
        b = _jobs(rng, sub, t, quarter, spec.jobs_per_trajectory)
        n_quarantined = 0
        if org == spec.quarantine_org:
            # Row 3 has an unknown region, row 4 a job with 95 hours: the loader
            # quarantined both, so the gates must not count them again.
            t.loc[1, ["arbeidsmarktregio", "is_quarantined"]] = ["AM99", True]
            quarantined.append(dict(submission_id=sub, sheet="trajecten", source_row=3,
                                    traject_id=t.loc[1, "traject_id"],
                                    column_name="arbeidsmarktregio", value="AM99",
                                    rule_code="unknown_region",
                                    message="'AM99' is geen arbeidsmarktregio (zie de lijst "
                                            "van 35 CBS-codes)"))
            tq = b["traject_id"] == t.loc[1, "traject_id"]
            b.loc[tq, "is_quarantined"] = True
            for row in b[tq].itertuples():
                quarantined.append(dict(submission_id=sub, sheet="banen",
                                        source_row=row.source_row, traject_id=row.traject_id,
                                        column_name="traject_id", value=row.traject_id,
                                        rule_code="trajectory_quarantined",
                                        message="het traject van deze baan staat in quarantaine"))
            b = pd.concat([b, b.iloc[[0]].assign(source_row=len(b) + 2, baan_nr=99,
                                                 uren_per_week=None, is_quarantined=True,
                                                 traject_id=t.loc[0, "traject_id"])],
                          ignore_index=True)
            quarantined.append(dict(submission_id=sub, sheet="banen", source_row=len(b) + 1,
                                    traject_id=t.loc[0, "traject_id"],
                                    column_name="uren_per_week", value="95",
                                    rule_code="hours_out_of_range",
                                    message="uren_per_week moet tussen 0 en 80 liggen"))
            n_quarantined = 1 + int(tq.sum()) + 1
        subs.append(dict(submission_id=sub, file_path=f"{q}/{org}_{q}_v2.xlsx",
                         organisation_code=org, status="accepted",
                         rows_accepted=len(t) + len(b) - n_quarantined,
                         rows_quarantined=n_quarantined, rejection_reason=None,
                         superseded_by=None))
        trajs.append(t)
        jobs.append(b)
        org_rows.append(dict(submission_id=sub, source_row=2, organisatie_code=org, kwartaal=q,
                             fte_trajectbegeleiding=float(rng.integers(1, 8))))
    subs_df = pd.DataFrame(subs)
    subs_df.insert(2, "file_format", "xlsx")
    subs_df.insert(4, "quarter", q)
    subs_df.insert(5, "content_hash", [f"{i:064x}" for i in range(len(subs_df))])
    subs_df.insert(6, "first_loaded_at", pd.Timestamp(quarter.end) + pd.Timedelta(days=20))
    subs_df.insert(7, "load_order", np.arange(load_order, load_order + len(subs_df)))
    traj_df = pd.concat(trajs, ignore_index=True)
    jobs_df = pd.concat(jobs, ignore_index=True)
    accepted = subs_df.loc[subs_df["status"] == "accepted", ["submission_id", "organisation_code"]]
    t_ok = traj_df[~traj_df["is_quarantined"]].merge(accepted, on="submission_id")
    b_ok = jobs_df[~jobs_df["is_quarantined"]].merge(accepted, on="submission_id")
    fct, fct_jobs = build_facts(t_ok, b_ok, quarter)
    frames = {
        "raw.trajecten": traj_df, "raw.banen": jobs_df, "raw.organisatie": pd.DataFrame(org_rows),
        "audit.submissions": subs_df,
        "audit.quarantined_rows": pd.DataFrame(quarantined, columns=[
            "submission_id", "sheet", "source_row", "traject_id", "column_name", "value",
            "rule_code", "message"]),
        "audit.rejections": pd.DataFrame(rejections, columns=[
            "submission_id", "sheet", "source_row", "column_name", "rule_code", "message"]),
        "marts.fct_trajectory_quarters": fct, "marts.fct_jobs": fct_jobs,
        "marts.quarterly_indicators": build_indicators(fct, spec.all_share_indicators, seeds_dir),
        "marts.region_completeness": build_completeness(
            quarter, sorted(accepted["organisation_code"]), seeds_dir),
    }
    return frames


def build_warehouse(path: Path, spec: SyntheticSpec, seeds_dir: Path,
                    previous_quarter: bool = True) -> Path:
    """Write the quarter (and its previous quarter, for the drop gate) to a new DuckDB file."""
    quarter = Quarter.parse(spec.quarter)
    quarters = [quarter.previous(), quarter] if previous_quarter else [quarter]
    con = duckdb.connect(str(path))
    try:
        con.execute(RAW_DDL)
        order = 1
        for q in quarters:
            prev_spec = spec if q == quarter else SyntheticSpec(
                quarter=str(q), organisations=spec.organisations,
                trajectories_per_org=spec.trajectories_per_org,
                jobs_per_trajectory=spec.jobs_per_trajectory,
                all_share_indicators=spec.all_share_indicators, seed=spec.seed,
                quarantine_org=None, rejected_org=None, superseded_org=None)
            frames = build_quarter(prev_spec, seeds_dir, q, order)
            order += len(frames["audit.submissions"])
            for table, frame in frames.items():
                con.register("frame", frame)
                exists = con.execute(
                    "select count(*) from information_schema.tables "
                    "where table_schema || '.' || table_name = ?", [table]).fetchone()[0]
                select = "select * from frame"
                if table == "marts.region_completeness":
                    select = ("select * replace (missing_organisations::varchar[] as "
                              "missing_organisations, unregistered_organisations::varchar[] as "
                              "unregistered_organisations) from frame")
                if exists:
                    con.execute(f"insert into {table} by name {select}")
                else:
                    con.execute(f"create table {table} as {select}")
                con.unregister("frame")
    finally:
        con.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trajectories", type=int, default=5000)
    parser.add_argument("--organisations", type=int, default=45)
    parser.add_argument("--jobs-per-trajectory", type=float, default=2.0)
    parser.add_argument("--quarter", default="2024Q3")
    args = parser.parse_args()
    from werkmonitor.quality import run_quality_gates

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        seeds = write_seeds(root / "seeds", args.organisations)
        spec = SyntheticSpec(quarter=args.quarter, organisations=args.organisations,
                             trajectories_per_org=args.trajectories // args.organisations,
                             jobs_per_trajectory=args.jobs_per_trajectory,
                             all_share_indicators=True)
        t0 = time.perf_counter()
        warehouse = build_warehouse(root / "w.duckdb", spec, seeds)
        con = duckdb.connect(str(warehouse), read_only=True)
        sizes = {t: con.execute(f"select count(*) from {t} where quarter = ?",
                                [args.quarter]).fetchone()[0]
                 for t in ("marts.fct_trajectory_quarters", "marts.fct_jobs",
                           "marts.quarterly_indicators")}
        sizes["raw.banen"] = con.execute("select count(*) from raw.banen").fetchone()[0]
        con.close()
        print(f"synthetic warehouse built in {time.perf_counter() - t0:.1f} s: {sizes}")
        t0 = time.perf_counter()
        import great_expectations  # noqa: F401

        print(f"import great_expectations: {time.perf_counter() - t0:.1f} s")
        cpu = time.process_time()
        report = run_quality_gates(warehouse, args.quarter, root / "publish", seeds_dir=seeds)
        cpu = time.process_time() - cpu
        print(report.format())
        print(f"gates: {len(report.results)}, run_quality_gates: {report.duration_s:.1f} s wall, "
              f"{cpu:.1f} s CPU")


if __name__ == "__main__":
    main()
