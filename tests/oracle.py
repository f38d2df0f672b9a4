"""Reference implementation of the national indicators, straight from the spec.

A second, deliberately naive implementation of ``indicators.md`` in plain
Python (one loop over trajectories, no SQL, nothing shared with the warehouse
code), so tests can check the warehouse and the test data builders against
something written independently from the same text.

It reads a landing zone of CSV folders (``raw/<YYYYQn>/<ORG>_<YYYYQn>[_sfx]/``)
and gives every indicator as (numerator, denominator) per trajectory type
(and ``ALL``) × financing, IPS scheme or IPS phase, at national, region or
organisation level (``indicators``; ``national_indicators`` is the national ×
financing slice keyed like ``PUBLISHED_Q3_2024``). It assumes clean data: it
does not validate or quarantine. Where several folders exist for one
organisation and quarter it takes the last by name (what the loader does for
files first loaded in the same run).

Readings of the spec where it leaves room (the test data avoids these cases,
so they do not decide any asserted figure):

* "first job in the trajectory" = the earliest start of the jobs that overlap
  ``[startdatum, end of the active window]``;
* jobcoaching employment duration uses, of the jobs on the last day of the
  window, the one that started first; "whole calendar months" = months from
  the job start to that day, minus one when the day of the month is earlier;
* ``employment_*`` are given for trajectory type JOBCOACHING and for ``ALL``
  (over the jobcoaching rows it holds; only where it holds any), the
  ``orientation*`` indicators and ``ended_before_term_without_result`` for
  IPS only, ``clients_per_fte`` for IPS with
  financing ALL only, at national and organisation level, and not for an
  organisation with 0 FTE (no ratio to give).
"""

from __future__ import annotations

import calendar
import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# Written again on purpose, not imported from the seeds or the catalogue: an
# oracle that reads the warehouse's lists would agree with a wrong list.
# tests/test_catalogue_copies.py checks every copy here (code lists, flags,
# day bands, the shares per denominator) against the catalogue.
TYPES = ("IPS", "WABZ", "JOBCOACHING", "WERKFIT", "NAAR_WERK", "OVERIG")
FINANCING = ("UWV", "GEMEENTE", "OVERIG")
FLAGS = {
    "education": "opleiding",
    "trial_placement": "proefplaatsing",
    "volunteer_work": "vrijwilligerswerk",
    "day_activity": "dagbesteding",
}
DAY_BANDS = (("0_30", 0, 30), ("31_60", 31, 60), ("61_150", 61, 150), ("151_270", 151, 270))

_FOLDER_RE = re.compile(r"^([A-Za-z0-9]+)_(\d{4}Q[1-4])(?:_.*)?$")


# ---------------------------------------------------------------- reading


def parse_date(text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    match = re.fullmatch(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    raise ValueError(f"not a date: {text!r}")


def parse_number(text: str) -> float | None:
    text = (text or "").strip()
    return float(text.replace(",", ".")) if text else None


def parse_bool(text: str) -> bool:
    return (text or "").strip().lower() in {"ja", "j", "1", "true"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    header = text.splitlines()[0] if text else ""
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        return []
    names = [name.strip().lower() for name in rows[0]]
    return [
        {name: value.strip() for name, value in zip(names, values, strict=False)}
        for values in rows[1:]
        if any(v.strip() for v in values)
    ]


@dataclass
class Job:
    start: date
    end: date | None
    hours: float
    wage_pct: float | None
    contract_months: float | None

    def overlaps(self, first: date, last: date) -> bool:
        return self.start <= last and (self.end is None or self.end >= first)

    @property
    def sustainable(self) -> bool:
        wage = 100 if self.wage_pct is None else self.wage_pct
        months_ok = self.contract_months is None or self.contract_months >= 3
        return self.hours >= 12 and wage >= 35 and months_ok


@dataclass
class Trajectory:
    organisation: str
    traject_id: str
    trajectory_type: str
    fase: str
    ips_scheme: str
    region: str
    financing: str
    start: date
    end: date | None
    exit_reason: str
    flags: dict[str, bool]
    jobs: list[Job]


@dataclass
class Submission:
    organisation: str
    fte: float | None
    trajectories: list[Trajectory]


def read_quarter(raw_dir: Path, quarter: str) -> list[Submission]:
    """The current submission of every organisation for ``quarter``."""
    current: dict[str, Path] = {}
    quarter_dir = Path(raw_dir) / quarter
    for folder in sorted(p for p in quarter_dir.iterdir() if p.is_dir()):
        match = _FOLDER_RE.match(folder.name)
        if match and match.group(2) == quarter:
            current[match.group(1).upper()] = folder  # later name wins
    submissions = []
    for org, folder in sorted(current.items()):
        jobs: dict[str, list[Job]] = defaultdict(list)
        for row in read_csv(folder / "banen.csv"):
            jobs[row["traject_id"]].append(
                Job(
                    start=parse_date(row["startdatum"]),
                    end=parse_date(row.get("einddatum", "")),
                    hours=parse_number(row["uren_per_week"]),
                    wage_pct=parse_number(row.get("loonwaarde_pct", "")),
                    contract_months=parse_number(row.get("contractduur_maanden", "")),
                )
            )
        trajectories = [
            Trajectory(
                organisation=org,
                traject_id=row["traject_id"],
                trajectory_type=row["trajecttype"].upper(),
                fase=row.get("fase", "").upper(),
                ips_scheme=row.get("ips_regeling", "").upper(),
                region=row["arbeidsmarktregio"].upper(),
                financing=row["financiering"].upper(),
                start=parse_date(row["startdatum"]),
                end=parse_date(row.get("einddatum", "")),
                exit_reason=row.get("uitstroomreden", "").upper(),
                flags={code: parse_bool(row[column]) for code, column in FLAGS.items()},
                jobs=jobs.get(row["traject_id"], []),
            )
            for row in read_csv(folder / "trajecten.csv")
        ]
        organisatie = read_csv(folder / "organisatie.csv")[0]
        submissions.append(
            Submission(
                org, parse_number(organisatie.get("fte_trajectbegeleiding", "")), trajectories
            )
        )
    return submissions


# ---------------------------------------------------------------- per trajectory


def whole_months(first: date, last: date) -> int:
    months = (last.year - first.year) * 12 + (last.month - first.month)
    return months - 1 if last.day < first.day else months


def add_months(day: date, months: int) -> date:
    """``day`` + ``months`` calendar months, the day clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_since_start(start: date, day: date) -> int:
    """The smallest m >= 1 with day <= start + m calendar months (spec wording)."""
    m = 1
    while day > add_months(start, m):
        m += 1
    return m


def facts(t: Trajectory, q_start: date, q_end: date) -> dict:
    """Every population flag and indicator membership of one trajectory."""
    f: dict = {"orientation": t.trajectory_type == "IPS" and t.fase == "ORIENTATIE"}
    in_q = t.end is not None and q_start <= t.end <= q_end
    if f["orientation"]:
        f["orientation_ended"] = in_q
        return f
    f["running"] = True
    f["started"] = q_start <= t.start <= q_end
    f["ended"] = in_q
    w_start = max(q_start, t.start)
    w_end = min(q_end, t.end or q_end)
    jobs = t.jobs
    f["paid_work"] = any(j.overlaps(w_start, w_end) for j in jobs)
    f["sustainable_paid_work"] = any(j.sustainable and j.overlaps(w_start, w_end) for j in jobs)
    f["ever_paid_work"] = any(j.overlaps(t.start, w_end) for j in jobs)
    f["job_started"] = any(w_start <= j.start <= w_end and j.start >= t.start for j in jobs)
    f["job_stopped"] = any(
        j.end is not None and w_start <= j.end <= w_end for j in jobs
    ) and not any(j.overlaps(w_end, w_end) for j in jobs)
    for code in FLAGS:
        f[code] = t.flags[code]
    if in_q:
        with_job = any(j.overlaps(t.end, t.end) for j in jobs)
        f["ended_with_paid_work"] = with_job
        f["ended_worked_before"] = not with_job and f["ever_paid_work"]
        f["ended_never_worked"] = not f["ever_paid_work"]
        f["ended_intended_result"] = intended_result(t, f)
        month = month_since_start(t.start, t.end)
        f["ended_within_6_months"] = month <= 6
        f["ended_within_12_months"] = month <= 12
        term = {"EPA": 36, "CMD": 24}.get(t.ips_scheme)
        f["ended_before_term_without_result"] = (
            t.trajectory_type == "IPS" and term is not None and month <= term
            and not f["ended_intended_result"]
        )
    if f["paid_work"]:
        in_trajectory = [j.start for j in jobs if j.overlaps(t.start, w_end)]
        first = max(min(in_trajectory), t.start)
        days = (first - t.start).days
        f["first_job_within_3_months"] = days <= 90
        f["first_job_after_9_months"] = days >= 271
        for band, low, high in DAY_BANDS:
            f[f"first_job_days_{band}"] = low <= days <= high
        f["first_job_days_271_plus"] = days >= 271
    if t.trajectory_type == "JOBCOACHING":
        on_last_day = [j for j in jobs if j.overlaps(w_end, w_end)]
        if on_last_day:
            months = whole_months(min(j.start for j in on_last_day), w_end)
            f["employed"] = True
            f["employment_lt_6_months"] = months < 6
            f["employment_6_12_months"] = 6 <= months <= 12
            f["employment_gt_12_months"] = months > 12
    return f


def intended_result(t: Trajectory, f: dict) -> bool:
    jobs_at_end = [j for j in t.jobs if j.overlaps(t.end, t.end)]
    kind = t.trajectory_type
    if kind == "IPS":
        return f["ever_paid_work"] or t.exit_reason == "OPLEIDING"
    if kind == "WABZ":
        unpaid = f["volunteer_work"] or f["trial_placement"] or f["day_activity"]
        return f["ever_paid_work"] or unpaid
    if kind == "JOBCOACHING":
        return bool(jobs_at_end)
    if kind == "WERKFIT":
        return t.exit_reason in {"WERKFIT", "BAAN"} or bool(jobs_at_end)
    if kind == "NAAR_WERK":
        return any(j.sustainable for j in jobs_at_end)
    return f["ever_paid_work"]  # OVERIG


# ---------------------------------------------------------------- aggregation

SHARE_OF_RUNNING = (
    "paid_work", "sustainable_paid_work", "ever_paid_work",
    "education", "trial_placement", "volunteer_work", "day_activity",
)  # fmt: skip
SHARE_OF_ENDED = (
    "ended_with_paid_work", "ended_worked_before", "ended_never_worked", "ended_intended_result",
    "ended_within_6_months", "ended_within_12_months",
)  # fmt: skip
SHARE_OF_PAID = (
    "job_stopped", "first_job_within_3_months", "first_job_after_9_months",
    *(f"first_job_days_{band}" for band, _, _ in DAY_BANDS), "first_job_days_271_plus",
)  # fmt: skip
EMPLOYMENT = ("employment_lt_6_months", "employment_6_12_months", "employment_gt_12_months")

Key = tuple[str, str, str]


def national_indicators(raw_dir: Path, quarter: str) -> dict[Key, tuple[float, float | None]]:
    """(indicator, trajectory_type, financing) → (numerator, denominator).

    Denominator ``None`` for counts. A breakdown without trajectories has no
    entries (absent = 0), as in the mart.
    """
    return {key[1:]: value for key, value in indicators(raw_dir, quarter).items()}


def indicators(
    raw_dir: Path, quarter: str, *, level: str = "national", dimension: str = "financing"
) -> dict[tuple[str | None, str, str, str], tuple[float, float | None]]:
    """(place, indicator, trajectory_type, dimension value) → (numerator, denominator).

    ``level``: ``national`` (place None), ``region`` (place = region code) or
    ``organisation`` (place = organisation code). ``dimension``: the second
    breakdown, ``financing``, ``ips_scheme`` or ``ips_phase`` (the IPS ones
    for trajectory type IPS only; orientation rows have no IPS phase of a
    running trajectory, so they are left out of the phase breakdown).
    """
    year, q = int(quarter[:4]), int(quarter[-1])
    q_start = date(year, 3 * q - 2, 1)
    next_start = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    q_end = next_start - timedelta(days=1)
    submissions = read_quarter(raw_dir, quarter)
    rows = [(s, t, facts(t, q_start, q_end)) for s in submissions for t in s.trajectories]
    place_of = {
        "national": lambda s, t: None,
        "region": lambda s, t: t.region,
        "organisation": lambda s, t: s.organisation,
    }[level]
    value_of = {
        "financing": lambda t: t.financing,
        "ips_scheme": lambda t: t.ips_scheme,
        "ips_phase": lambda t: t.fase,
    }[dimension]
    types = (*TYPES, "ALL") if dimension == "financing" else ("IPS",)
    by_place: dict[str | None, list] = defaultdict(list)
    for s, t, f in rows:
        by_place[place_of(s, t)].append((s, t, f))

    out: dict[tuple[str | None, str, str, str], tuple[float, float | None]] = {}
    for place, place_rows in sorted(by_place.items(), key=lambda item: str(item[0])):
        values = sorted({value_of(t) for _, t, f in place_rows if not f["orientation"]})
        if dimension == "ips_scheme":
            values = sorted({value_of(t) for _, t, _ in place_rows if t.trajectory_type == "IPS"})
        for ttype in types:
            for value in (*values, "ALL"):
                selected = [
                    (s, t, f)
                    for s, t, f in place_rows
                    if ttype in ("ALL", t.trajectory_type)
                    and value in ("ALL", value_of(t))
                    and not (dimension == "ips_phase" and value != "ALL" and f["orientation"])
                ]
                _aggregate(out, (place, ttype, value), selected, submissions, level)
    return out


def _count(population: list[dict], flag: str) -> int:
    return sum(1 for f in population if f.get(flag))


def _aggregate(out, key, selected, submissions, level) -> None:
    place, ttype, value = key

    def put(indicator, numerator, denominator=None):
        out[(place, indicator, ttype, value)] = (numerator, denominator)

    running = [f for _, _, f in selected if not f["orientation"]]
    orientation = [f for _, _, f in selected if f["orientation"]]
    if ttype == "IPS" and orientation:
        put("orientation", len(orientation))
        put("orientation_ended", _count(orientation, "orientation_ended"))
    if not running:
        return
    n_running = len(running)
    ended = [f for f in running if f["ended"]]
    paid = _count(running, "paid_work")
    put("running", n_running)
    put("started", _count(running, "started"))
    put("ended", len(ended))
    put("outflow", len(ended), n_running)
    for code in SHARE_OF_RUNNING:
        put(code, _count(running, code), n_running)
    put("job_started", _count(running, "job_started"), n_running - paid)
    for code in SHARE_OF_PAID:
        put(code, _count(running, code), paid)
    for code in SHARE_OF_ENDED:
        put(code, _count(ended, code), len(ended))
    if ttype == "IPS":
        put("ended_before_term_without_result",
            _count(ended, "ended_before_term_without_result"), len(ended))
    jobcoaching = [f for _, t, f in selected
                   if not f["orientation"] and t.trajectory_type == "JOBCOACHING"]
    if ttype in ("JOBCOACHING", "ALL") and jobcoaching:
        employed = _count(jobcoaching, "employed")
        for code in EMPLOYMENT:
            put(code, _count(jobcoaching, code), employed)
    organisations = {s.organisation for s, _, f in selected if not f["orientation"]}
    put("avg_per_organisation", n_running, len(organisations))
    if ttype == "IPS" and value == "ALL" and level in ("national", "organisation"):
        with_fte = [s for s, _, f in selected if not f["orientation"] and (s.fte or 0) > 0]
        fte_orgs = {s.organisation for s in with_fte} if level == "organisation" else None
        fte = sum(
            s.fte
            for s in submissions
            if (s.fte or 0) > 0 and (fte_orgs is None or s.organisation in fte_orgs)
        )
        if with_fte:
            put("clients_per_fte", len(with_fte), fte)
