"""Demo landing zone: synthetic quarterly submissions that look like the real ones.

The warehouse is built and demonstrated without real data (which is personal
health data and never leaves the organisations). The generator therefore has to
produce files that exercise the loader the way real submissions do (xlsx and
CSV, both delimiters, decimal commas, Dutch dates, BOMs, mixed-case codes,
``j``/``n``) and figures that look like the published reports, so that a
report built on demo data is recognisable. See ``docs/demo-data.md``.

Design: each organisation is simulated on its own (its own ``random.Random``
derived from the seed and its code), trajectory by trajectory, with the whole
life of a trajectory (orientation, IPS start, approval, end, job spells) drawn
once; a quarterly submission is then a projection of those lives onto the
quarter. Only one organisation is held in memory at a time, so scale 100
streams instead of building a national table.
"""

from __future__ import annotations

import csv
import io
import math
import random
import re
import zipfile
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from werkmonitor import reference
from werkmonitor.quarters import Quarter, quarter_range

TYPES = ("IPS", "WABZ", "JOBCOACHING", "WERKFIT", "NAAR_WERK", "OVERIG")

TRAJECT_COLUMNS = [
    "traject_id", "arbeidsmarktregio", "trajecttype", "ips_regeling", "fase", "financiering",
    "financiering_detail", "startdatum", "einddatum", "uitstroomreden", "opleiding",
    "proefplaatsing", "vrijwilligerswerk", "dagbesteding",
]
BAAN_COLUMNS = [
    "traject_id", "baan_nr", "startdatum", "einddatum", "uren_per_week", "loonwaarde_pct",
    "contractduur_maanden", "contractsoort",
]
ORG_COLUMNS = ["organisatie_code", "kwartaal", "fte_trajectbegeleiding"]

# National number of running trajectories per type that all active organisations
# together carry (before some fail to deliver). Calibrated so that the delivered
# totals land on the published figures (docs/demo-data.md).
_NATIONAL_TARGETS: dict[str, dict[str, float]] = {
    "IPS": {
        "2022Q4": 3000, "2023Q1": 3250, "2023Q2": 3470, "2023Q3": 3680, "2023Q4": 3900,
        "2024Q1": 4080, "2024Q2": 4200, "2024Q3": 4220, "2024Q4": 4240, "2025Q1": 4300,
        "2025Q2": 4360,
    },
    "WABZ": {"2022Q4": 100, "2024Q1": 125, "2024Q2": 150, "2024Q3": 160},
    "JOBCOACHING": {"2022Q4": 130, "2024Q3": 144},
    "WERKFIT": {"2022Q4": 200, "2024Q2": 215, "2024Q3": 150, "2025Q2": 160},
    "NAAR_WERK": {"2022Q4": 30, "2024Q2": 34, "2024Q3": 26},
    "OVERIG": {"2022Q4": 210, "2024Q2": 236, "2024Q3": 244, "2025Q2": 260},
}

# Probability per quarter that a running trajectory ends (calibrated outflow).
_QUARTERLY_HAZARD = {
    "IPS": 0.145, "WABZ": 0.035, "JOBCOACHING": 0.14, "WERKFIT": 0.36, "NAAR_WERK": 0.33,
    "OVERIG": 0.21,
}

# How many organisations deliver in a quarter (published: Q4 2022 28, Q1 2023 23,
# Q2 2024 42, Q3 2024 43); other quarters: all but one of those with something
# to deliver.
_DELIVERING = {
    "2022Q4": 28, "2023Q1": 23, "2023Q2": 29, "2023Q3": 30, "2023Q4": 32, "2024Q1": 40,
    "2024Q2": 42, "2024Q3": 43, "2024Q4": 43,
}

_DETAILS = ["ZPM", "WERKGEVER", "WMO", "JEUGDWET", "EIGEN_MIDDELEN", "HOOFDZAAK_WERK", "ANDERS", ""]
_DETAIL_WEIGHTS = [0.25, 0.2, 0.12, 0.03, 0.08, 0.12, 0.1, 0.1]

RESUBMISSION = ("ORG05", "2024Q2")
_XLSX_AT_SCALE = "ORG29"

_FIXED_TIME = datetime(2025, 1, 1, 0, 0, 0)
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)


@dataclass(slots=True)
class Job:
    start: date
    end: date | None
    hours: float
    wage_pct: int | None
    contract_months: int | None
    kind: str


@dataclass(slots=True)
class Trajectory:
    traject_id: str
    region: str
    type: str
    start: date  # IPS: start of the IPS trajectory (request)
    end: date | None
    first_day: date  # orientation start for IPS with orientation, else start
    orientation_only: bool = False
    approved: date | None = None  # IPS: day of approval
    scheme: str = ""
    financing: str = "UWV"
    financing_detail: str = ""
    exit_reason: str = ""
    jobs: list[Job] = field(default_factory=list)
    flags: tuple[float, float, float, float] = (0, 0, 0, 0)  # propensities


def _target(type_: str, quarter: Quarter) -> float:
    """Piecewise-linear national target; flat before the first and after the last point."""
    points = sorted((Quarter.parse(k), v) for k, v in _NATIONAL_TARGETS[type_].items())
    index = quarter.year * 4 + quarter.q
    keys = [p.year * 4 + p.q for p, _ in points]
    if index <= keys[0]:
        # warm-up before the monitor started: a little smaller
        return points[0][1] * max(0.75, 1 - 0.04 * (keys[0] - index))
    if index >= keys[-1]:
        return points[-1][1] * (1 + 0.01 * (index - keys[-1]))
    pos = bisect_right(keys, index)
    (k0, v0), (k1, v1) = (keys[pos - 1], points[pos - 1][1]), (keys[pos], points[pos][1])
    return v0 + (v1 - v0) * (index - k0) / (k1 - k0)


def _days(quarter: Quarter) -> int:
    return (quarter.end - quarter.start).days + 1


def _shift(quarter: Quarter, n: int) -> Quarter:
    for _ in range(abs(n)):
        quarter = quarter.next() if n > 0 else quarter.previous()
    return quarter


_TREND_FROM = date(2021, 1, 1)
_TREND_DAYS = (date(2025, 7, 1) - _TREND_FROM).days


def _trend(day: date, begin: float, end: float) -> float:
    """Linear trend from 2021-01-01 (begin) to 2025-07-01 (end), clamped."""
    t = (day - _TREND_FROM).days / _TREND_DAYS
    return begin + (end - begin) * min(1.0, max(0.0, t))


# --------------------------------------------------------------------------- simulation


@dataclass
class _OrgPlan:
    code: str
    sim_from: Quarter
    sim_to: Quarter
    types: dict[str, list[tuple[str, Quarter, Quarter | None]]]  # type -> (region, from, to)
    weights: dict[str, float]
    active_from: Quarter
    active_to: Quarter | None


class _Simulator:
    """Draws the lives of one organisation's trajectories."""

    def __init__(self, plan: _OrgPlan, share: dict[tuple[str, str], float], scale: float,
                 seed: int):
        self.plan = plan
        self.share = share  # (type, quarter) -> this organisation's share of the national target
        self.scale = scale
        self.rng = random.Random(f"{seed}:{plan.code}")
        self.counter = 0
        self._regions: dict[tuple[str, Quarter], tuple[list[str], list[float]]] = {}

    def new_id(self) -> str:
        self.counter += 1
        rng = self.rng
        return f"{self.plan.code[-2:]}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{self.counter:06d}"

    def simulate(self) -> list[Trajectory]:
        out: list[Trajectory] = []
        for type_ in sorted(self.plan.types):
            out.extend(self._simulate_type(type_))
        return out

    def _simulate_type(self, type_: str) -> list[Trajectory]:
        rng = self.rng
        hazard = -math.log(1 - _QUARTERLY_HAZARD[type_]) / 91.3
        trajectories: list[Trajectory] = []
        running: list[Trajectory] = []
        first = True
        for quarter in quarter_range(self.plan.sim_from, self.plan.sim_to):
            target = _target(type_, quarter) * self.share.get((type_, str(quarter)), 0) * self.scale
            q_start, q_days = quarter.start, _days(quarter)
            running = [t for t in running if t.end is None or t.end >= q_start]
            if first:
                # existing caseload when the simulation begins: back-dated starts
                n_new = _round(rng, target)
                for _ in range(n_new):
                    start = q_start - timedelta(days=int(rng.expovariate(1 / 420)))
                    traj = self._new(type_, start, hazard, q_start)
                    trajectories.append(traj)
                    running.append(traj)
                first = False
                continue
            n_new = max(target - len(running), 0.06 * target)
            n_new = _round(rng, n_new * rng.uniform(0.93, 1.07))
            for _ in range(n_new):
                start = q_start + timedelta(days=rng.randrange(q_days))
                traj = self._new(type_, start, hazard, start)
                trajectories.append(traj)
                if not traj.orientation_only:
                    running.append(traj)
            if type_ == "IPS":
                # people who leave orientation without starting IPS
                for _ in range(_round(rng, n_new * 0.4)):
                    start = q_start + timedelta(days=rng.randrange(q_days))
                    trajectories.append(self._orientation_only(start))
        return trajectories

    def _region(self, type_: str, day: date) -> str:
        quarter = Quarter.containing(day)
        cached = self._regions.get((type_, quarter))
        if cached is None:
            cached = self._regions[(type_, quarter)] = self._region_choices(type_, quarter)
        return _pick(self.rng, *cached)

    def _region_choices(self, type_: str, quarter: Quarter) -> tuple[list[str], list[float]]:
        entries = self.plan.types[type_]
        valid = [r for r, f, t in entries if f <= quarter and (t is None or quarter <= t)]
        if not valid:
            # offered before the register asked for it (monitor phase 1): earliest regions
            earliest = min(f for _, f, _ in entries)
            valid = [r for r, f, _ in entries if f == earliest]
        valid = sorted(set(valid))
        return valid, [1.0 / (i + 1) ** 0.6 for i in range(len(valid))]

    def _orientation_only(self, day: date) -> Trajectory:
        rng = self.rng
        end = day + timedelta(days=rng.randint(10, 110))
        return Trajectory(
            traject_id=self.new_id(), region=self._region("IPS", day), type="IPS",
            start=day, end=end, first_day=day, orientation_only=True,
            scheme=_pick(rng, ["EPA", "CMD", "GEEN"], [0.6, _trend(day, 0.1, 0.3), 0.25]),
            financing=self._financing("IPS", day), exit_reason="DOEL_NIET_BEREIKT"
            if rng.random() < 0.7 else "OVERIG",
        )

    def _financing(self, type_: str, day: date) -> str:
        rng = self.rng
        if type_ == "IPS":
            weights = [_trend(day, 0.64, 0.30), _trend(day, 0.13, 0.50), 0.22]
        elif type_ == "WABZ":
            weights = [0.36, 0.64, 0.0]
        elif type_ == "JOBCOACHING":
            weights = [0.435, 0.464, 0.101]
        elif type_ in ("WERKFIT", "NAAR_WERK"):
            weights = [1.0, 0.0, 0.0]
        else:
            weights = [0.13, 0.36, 0.51]
        return _pick(rng, ["UWV", "GEMEENTE", "OVERIG"], weights)

    def _new(self, type_: str, start: date, hazard: float, alive_from: date) -> Trajectory:
        """One trajectory starting on ``start`` that is still running on ``alive_from``."""
        rng = self.rng
        traj = Trajectory(
            traject_id=self.new_id(), region=self._region(type_, start), type=type_,
            start=start, end=None, first_day=start,
        )
        traj.financing = self._financing(type_, start)
        if traj.financing == "OVERIG":
            traj.financing_detail = _pick(rng, _DETAILS, _DETAIL_WEIGHTS)
        cap = None
        if type_ == "IPS":
            weights = [_trend(start, 0.68, 0.45), _trend(start, 0.08, 0.32), 0.245]
            traj.scheme = _pick(rng, ["EPA", "CMD", "GEEN"], weights)
            cap = {"EPA": 3 * 365, "CMD": 2 * 365, "GEEN": 3 * 365}[traj.scheme]
            if rng.random() < 0.85:
                traj.first_day = start - timedelta(days=rng.randint(7, 115))
            traj.approved = start + timedelta(days=rng.randint(0, 55))
        # duration: exponential from alive_from (memoryless), capped by the scheme
        end = alive_from + timedelta(days=int(rng.expovariate(hazard)))
        if cap is not None and (end - start).days > cap:
            end = start + timedelta(days=cap - rng.randint(0, 30))
        end = max(end, alive_from, start)
        traj.end = end
        traj.jobs = self._jobs(traj)
        traj.exit_reason = self._exit_reason(traj)
        traj.flags = self._flag_propensities(type_)
        return traj

    def _jobs(self, traj: Trajectory) -> list[Job]:
        rng = self.rng
        type_ = traj.type
        jobs: list[Job] = []
        # (probability the client ever finds a job, mean days to it, pre-existing job)
        finder, mean_days, pre = {
            "IPS": (0.86, 0, 0.05), "WABZ": (0.3, 200, 0.02), "JOBCOACHING": (0.95, 30, 0.6),
            "WERKFIT": (0.2, 150, 0.0), "NAAR_WERK": (0.6, 120, 0.0), "OVERIG": (0.25, 120, 0.25),
        }[type_]
        end = traj.end
        if rng.random() < pre:
            back = int(rng.expovariate(1 / (90 if type_ == "JOBCOACHING" else 200)))
            first = traj.start - timedelta(days=back + 1)
            # a job held when the trajectory starts (jobcoaching: the job to keep)
            job = self._job(type_, first)
            if job.end is not None and job.end < traj.start:
                job.end = traj.start + timedelta(days=int(rng.expovariate(1 / 900)))
            jobs.append(job)
            if job.end is None or (end is not None and job.end >= end) or rng.random() > 0.45:
                return jobs
            first = job.end + timedelta(days=int(rng.expovariate(1 / 100)) + 1)
        elif rng.random() < finder:
            if type_ == "IPS":
                # Q3 2024: first job within 3 months 29,6%, after 9 months 45,2%
                band = _pick(rng, [(0, 90), (91, 270), (271, 760)], [0.15, 0.18, 0.67])
                first = traj.start + timedelta(days=rng.randint(*band))
            else:
                first = traj.start + timedelta(days=int(rng.expovariate(1 / mean_days)))
        else:
            return jobs
        day = first
        while end is None or day <= end:
            job = self._job(type_, day)
            jobs.append(job)
            if job.end is None or rng.random() > 0.45 or len(jobs) >= 4:
                break
            day = job.end + timedelta(days=int(rng.expovariate(1 / 100)) + 1)
        return jobs

    def _job(self, type_: str, start: date) -> Job:
        rng = self.rng
        short = {"IPS": 0.14, "WABZ": 0.08, "JOBCOACHING": 0.1, "WERKFIT": 0.3, "NAAR_WERK": 0.05,
                 "OVERIG": 0.3}[type_]
        if rng.random() < short:
            hours = float(rng.choice([4, 6, 8, 8, 10, 10.5]))
        else:
            hours = float(rng.choice([12, 16, 16, 20, 24, 24, 28, 32, 32, 36, 38, 40, 12.5, 22.5]))
        wage = None
        if rng.random() < 0.12:
            wage = rng.choice([20, 30, 40, 50, 60, 70, 80, 90])
        months = None
        if rng.random() < 0.6:
            months = rng.choice([1, 2, 3, 6, 6, 6, 12, 12, 12, 24])
        kind = _pick(rng, ["LOONDIENST", "UITZEND", "OVERIG"], [0.74, 0.19, 0.07])
        duration = rng.expovariate(1 / 1500)
        if months is not None and rng.random() < 0.5:
            duration = min(duration, months * 30.4 * rng.uniform(1.0, 3.0))
        end = start + timedelta(days=int(duration)) if duration < 4000 else None
        if type_ == "JOBCOACHING" and rng.random() < 0.85:
            end = None  # the job the coaching helps to keep
        return Job(start, end, hours, wage, months, kind)

    def _exit_reason(self, traj: Trajectory) -> str:
        rng = self.rng
        end = traj.end
        working = any(j.start <= end and (j.end is None or j.end >= end) for j in traj.jobs)
        if traj.type == "WERKFIT":
            if working:
                return "BAAN"
            return _pick(rng, ["WERKFIT", "DOEL_NIET_BEREIKT", "OVERIG"], [0.62, 0.3, 0.08])
        if working:
            return "BAAN" if rng.random() < 0.92 else "OVERIG"
        if traj.type == "IPS" and rng.random() < 0.07:
            return "OPLEIDING"
        return _pick(rng, ["DOEL_NIET_BEREIKT", "OVERIG"], [0.8, 0.2])

    def _flag_propensities(self, type_: str) -> tuple[float, float, float, float]:
        # education, trial placement, volunteer work, day activity
        return {
            "IPS": (0.08, 0.03, 0.10, 0.06), "WABZ": (0.03, 0.04, 0.19, 0.03),
            "JOBCOACHING": (0.03, 0.01, 0.03, 0.02), "WERKFIT": (0.10, 0.08, 0.25, 0.2),
            "NAAR_WERK": (0.05, 0.10, 0.10, 0.05), "OVERIG": (0.07, 0.045, 0.17, 0.51),
        }[type_]


def _pick(rng: random.Random, population, weights):
    """``rng.choices(population, weights)[0]`` without its per-call set-up (same draw)."""
    total = 0.0
    cum = []
    for w in weights:
        total += w
        cum.append(total)
    return population[bisect_right(cum, rng.random() * total, 0, len(cum) - 1)]


def _round(rng: random.Random, value: float) -> int:
    """Stochastic rounding: small organisations at small scales still get their share."""
    base = math.floor(value)
    return base + (1 if rng.random() < value - base else 0)


# --------------------------------------------------------------------------- register plans


def _plans(quarters: list[Quarter], seed: int) -> tuple[list[_OrgPlan], dict]:
    orgs = reference.organisations()
    register = reference.organisation_regions()
    rng = random.Random(f"{seed}:weights")
    plans = []
    for code in sorted(orgs):
        org = orgs[code]
        types: dict[str, list] = {}
        for entry in register:
            if entry.organisation_code == code:
                types.setdefault(entry.trajectory_type, []).append(
                    (entry.region_code, entry.valid_from, entry.valid_to)
                )
        if not types:
            continue
        n_regions = len({r for entries in types.values() for r, _, _ in entries})
        size = n_regions ** 0.9 * rng.uniform(0.55, 1.6)
        weights = {t: size * rng.uniform(0.6, 1.4) for t in sorted(types)}
        sim_to = min(quarters[-1], org.active_to) if org.active_to else quarters[-1]
        plans.append(_OrgPlan(code, _shift(org.active_from, -4), sim_to, types, weights,
                              org.active_from, org.active_to))
    # Each organisation's share of the national target per type and quarter, among
    # the organisations active then. In its warm-up quarters (before joining the
    # monitor) an organisation keeps the share it will have when it joins, so the
    # delivering organisations' totals are not diluted by future members.
    totals: dict[tuple[str, Quarter], float] = {}
    for quarter in quarter_range(min(p.active_from for p in plans), quarters[-1]):
        for p in plans:
            for type_ in p.types:
                if _offers(p, type_, quarter):
                    key = (type_, quarter)
                    totals[key] = totals.get(key, 0.0) + p.weights[type_]
    share: dict[str, dict[tuple[str, str], float]] = {}
    for p in plans:
        for quarter in quarter_range(p.sim_from, p.sim_to):
            for type_ in p.types:
                effective = max(quarter, p.active_from)
                if _offers(p, type_, effective) and (type_, effective) in totals:
                    share.setdefault(p.code, {})[(type_, str(quarter))] = (
                        p.weights[type_] / totals[(type_, effective)]
                    )
    return plans, share


def _offers(plan: _OrgPlan, type_: str, quarter: Quarter) -> bool:
    """Whether the organisation runs trajectories of this type in the quarter.

    Non-IPS types were registered only from monitor phase 2, but the
    organisations ran them before; the simulation covers the whole active
    range and the projection only shows what the register asks for.
    """
    if quarter < plan.active_from or (plan.active_to is not None and quarter > plan.active_to):
        return False
    ends = [t for _, _, t in plan.types[type_]]
    return not (all(t is not None for t in ends) and quarter > max(ends))


def _delivers(plans: list[_OrgPlan], quarters: list[Quarter], seed: int) -> dict[str, set[str]]:
    """Which organisations deliver which quarter (some are absent or late)."""
    orgs = reference.organisations()
    out = {}
    for quarter in quarters:
        eligible = sorted(
            p.code for p in plans
            if orgs[p.code].is_active(quarter)
            and any(f <= quarter and (t is None or quarter <= t)
                    for entries in p.types.values() for _, f, t in entries)
        )
        n = min(len(eligible), _DELIVERING.get(str(quarter), len(eligible) - 1))
        rng = random.Random(f"{seed}:deliver:{quarter}")
        chosen = set(rng.sample(eligible, n)) if n > 0 else set()
        org, q = RESUBMISSION
        if str(quarter) == q and org in eligible and org not in chosen and chosen:
            chosen.remove(sorted(chosen)[0])
            chosen.add(org)
        out[str(quarter)] = chosen
    return out


# --------------------------------------------------------------------------- formats


@dataclass(frozen=True)
class _Style:
    """How one organisation writes its files (stable over quarters)."""

    xlsx: bool
    delimiter: str = ","
    dutch: bool = False  # DD-MM-YYYY dates and decimal comma
    bom: bool = False
    lower_codes: bool = False
    booleans: tuple[str, str] = ("ja", "nee")
    text_dates_in_xlsx: bool = False
    column_order: tuple[str, ...] = ()
    padded_codes: bool = False  # "IPS " as typed, with a trailing space


def _style(code: str, scale: float, seed: int) -> _Style:
    rng = random.Random(f"{seed}:style:{code}")
    # openpyxl writes ~15k cells a second; at large scales only one small
    # organisation keeps sending Excel so the run stays fast
    xlsx = rng.random() < 0.3 if scale < 10 else code == _XLSX_AT_SCALE
    dutch = rng.random() < 0.5
    order = list(TRAJECT_COLUMNS)
    if rng.random() < 0.3:
        rng.shuffle(order)
    return _Style(
        xlsx=xlsx,
        delimiter=";" if dutch else ",",
        dutch=dutch,
        bom=rng.random() < 0.4,
        lower_codes=rng.random() < 0.15,
        booleans=rng.choice([("ja", "nee"), ("ja", "nee"), ("j", "n"), ("1", "0"), ("Ja", "Nee"),
                             ("true", "false")]),
        text_dates_in_xlsx=rng.random() < 0.25,
        column_order=tuple(order),
        padded_codes=rng.random() < 0.12,
    )


def _fmt_date(value: date | None, style: _Style):
    if value is None:
        return ""
    if style.xlsx and not style.text_dates_in_xlsx:
        return value
    return value.strftime("%d-%m-%Y") if style.dutch else value.isoformat()


def _fmt_num(value: float | int | None, style: _Style):
    if value is None:
        return ""
    if style.xlsx:
        return value
    text = f"{value:g}"
    return text.replace(".", ",") if style.dutch else text


def _code(value: str, style: _Style) -> str:
    if style.lower_codes:
        value = value.lower()
    return f"{value} " if style.padded_codes and value else value


# --------------------------------------------------------------------------- projection


@dataclass
class _Submission:
    trajecten: list[list]
    banen: list[list]
    fte: float | None
    n_running: int
    n_jobs: int


def _project(trajs: list[Trajectory], quarter: Quarter, register_types: set[str],
             style: _Style, rng: random.Random) -> _Submission:
    q_start, q_end = quarter.start, quarter.end
    rows, jobs = [], []
    running_ips = 0
    bool_yes, bool_no = style.booleans
    for t in trajs:  # sorted by first_day
        if t.first_day > q_end:
            break
        if t.end is not None and t.end < q_start:
            continue
        if t.type not in register_types:
            continue
        ended = t.end is not None and t.end <= q_end
        if t.type == "IPS":
            if t.orientation_only or t.start > q_end:
                phase, start = "ORIENTATIE", t.first_day
                end = t.end if t.orientation_only and ended else None
            else:
                last = t.end if ended else q_end
                phase = "GOEDGEKEURD" if t.approved <= last else "AANGEVRAAGD"
                start, end = t.start, (t.end if ended else None)
                running_ips += 1
            scheme = t.scheme
        else:
            phase, scheme, start, end = "", "", t.start, (t.end if ended else None)
        flags = [
            bool_yes if rng.random() < p else bool_no for p in t.flags
        ]
        if t.type == "WABZ" and ended and not any(f == bool_yes for f in flags):
            flags[2] = bool_yes if rng.random() < 0.5 else bool_no
        exit_reason = t.exit_reason if end is not None else ""
        rows.append([
            t.traject_id, _code(t.region, style),
            _code(t.type, style), _code(scheme, style), _code(phase, style),
            _code(t.financing, style), _code(t.financing_detail, style),
            _fmt_date(start, style), _fmt_date(end, style), _code(exit_reason, style), *flags,
        ])
        if phase == "ORIENTATIE":
            continue
        limit = min(q_end, t.end) if t.end is not None else q_end
        for number, job in enumerate((j for j in t.jobs if j.start <= limit), start=1):
            job_end = job.end if job.end is not None and job.end <= q_end else None
            jobs.append([
                t.traject_id, number, _fmt_date(job.start, style), _fmt_date(job_end, style),
                _fmt_num(job.hours, style), _fmt_num(job.wage_pct, style),
                _fmt_num(job.contract_months, style), _code(job.kind, style),
            ])
    fte = None
    if running_ips:
        fte = round(running_ips / rng.uniform(14.0, 18.0) / 0.1) * 0.1
        fte = round(max(fte, 0.2), 1)
    return _Submission(rows, jobs, fte, len(rows), len(jobs))


# --------------------------------------------------------------------------- writers


def _write_csv(path: Path, header: list[str], rows, style: _Style, order: list[int] | None):
    with open(path, "w", encoding="utf-8-sig" if style.bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=style.delimiter, lineterminator="\r\n"
                            if style.dutch else "\n")
        if order is None:
            writer.writerow(header)
            writer.writerows(rows)
        else:
            writer.writerow([header[i] for i in order])
            writer.writerows([row[i] for i in order] for row in rows)


def _write_submission(base: Path, sub: _Submission, org: str, quarter: str, style: _Style) -> Path:
    order = None
    if style.column_order and list(style.column_order) != TRAJECT_COLUMNS:
        order = [TRAJECT_COLUMNS.index(c) for c in style.column_order]
    fte = "" if sub.fte is None else _fmt_num(sub.fte, style)
    org_row = [[org, quarter, fte]]
    if style.xlsx:
        path = base.with_name(base.name + ".xlsx")
        if org == _XLSX_AT_SCALE:
            _write_xlsx_openpyxl(path, sub, org_row, order)
        else:
            _write_xlsx_fast(path, sub, org_row, order)
        return path
    base.mkdir(parents=True, exist_ok=True)
    _write_csv(base / "trajecten.csv", TRAJECT_COLUMNS, sub.trajecten, style, order)
    _write_csv(base / "banen.csv", BAAN_COLUMNS, sub.banen, style, None)
    _write_csv(base / "organisatie.csv", ORG_COLUMNS, org_row, style, None)
    return base


def _ordered(header: list[str], rows: list[list], order: list[int] | None):
    if order is None:
        yield header
        yield from rows
    else:
        yield [header[i] for i in order]
        for row in rows:
            yield [row[i] for i in order]


def _write_xlsx_fast(path: Path, sub: _Submission, org_row, order) -> None:
    from werkmonitor.demo.xlsx import write_xlsx

    write_xlsx(path, [
        ("trajecten", _ordered(TRAJECT_COLUMNS, sub.trajecten, order)),
        ("banen", _ordered(BAAN_COLUMNS, sub.banen, None)),
        ("organisatie", _ordered(ORG_COLUMNS, org_row, None)),
    ])


def _write_xlsx_openpyxl(path: Path, sub: _Submission, org_row, order) -> None:
    """One organisation's files come from openpyxl, as a second producer's dialect."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = "werkmonitor demo"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    sheets = [
        ("trajecten", TRAJECT_COLUMNS, sub.trajecten, order),
        ("banen", BAAN_COLUMNS, sub.banen, None),
        ("organisatie", ORG_COLUMNS, org_row, None),
    ]
    for name, header, rows, ordering in sheets:
        ws = wb.create_sheet(name)
        if ordering is None:
            ws.append(header)
            for row in rows:
                ws.append([None if v == "" else v for v in row])
        else:
            ws.append([header[i] for i in ordering])
            for row in rows:
                ws.append([None if row[i] == "" else row[i] for i in ordering])
    buffer = io.BytesIO()
    wb.save(buffer)
    _write_reproducible_zip(buffer.getvalue(), path)


def _write_reproducible_zip(data: bytes, path: Path) -> None:
    """Rewrite the xlsx with fixed zip timestamps and modified time: same seed, same bytes."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(
        path, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>", content,
                )
            target.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), content,
                            zipfile.ZIP_DEFLATED)


# --------------------------------------------------------------------------- entry point


def generate_landing_zone(
    out: Path,
    scale: float = 1,
    seed: int = 42,
    first: str = "2022Q4",
    last: str = "2025Q2",
    with_errors: bool = False,
) -> dict:
    """Write ``out/<YYYYQn>/<ORG>_<YYYYQn>[...]`` submissions; return a summary.

    ``with_errors`` adds a handful of rows the loader must quarantine (in one
    submission), to demonstrate the quarantine path; by default every row is valid.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    out = Path(out)
    quarters = quarter_range(str(first), str(last))
    if not quarters:
        raise ValueError(f"empty quarter range {first}..{last}")
    plans, shares = _plans(quarters, seed)
    delivering = _delivers(plans, quarters, seed)
    register = reference.organisation_regions()
    summary: dict = {
        "seed": seed, "scale": scale, "quarters": {}, "trajectories": 0, "jobs": 0,
        "resubmission": None,
    }
    for quarter in quarters:
        summary["quarters"][str(quarter)] = {"files": 0, "trajecten": 0, "banen": 0}
        (out / str(quarter)).mkdir(parents=True, exist_ok=True)
    error_target = None
    if with_errors:
        candidates = [(q, o) for q in map(str, quarters) for o in sorted(delivering[q])]
        error_target = candidates[len(candidates) // 2] if candidates else None
    for plan in plans:
        sim = _Simulator(plan, shares.get(plan.code, {}), scale, seed)
        trajs = sim.simulate()
        trajs.sort(key=lambda t: (t.first_day, t.traject_id))
        style = _style(plan.code, scale, seed)
        for quarter in quarters:
            key = str(quarter)
            if plan.code not in delivering[key]:
                continue
            # per quarter, so a run over fewer quarters writes the same files
            rng = random.Random(f"{seed}:project:{plan.code}:{key}")
            register_types = {
                e.trajectory_type for e in register
                if e.organisation_code == plan.code and e.is_valid(quarter)
            }
            sub = _project(trajs, quarter, register_types, style, rng)
            if not sub.trajecten:
                continue
            if error_target == (key, plan.code):
                _add_errors(sub, quarter, style)
            name = f"{plan.code}_{key}"
            if (plan.code, key) == RESUBMISSION:
                first_version = _first_version(sub, rng)
                _write_submission(out / key / name, first_version, plan.code, key, style)
                summary["quarters"][key]["files"] += 1
                name = f"{name}_v2"
                summary["resubmission"] = f"{key}/{name}"
            _write_submission(out / key / name, sub, plan.code, key, style)
            stats = summary["quarters"][key]
            stats["files"] += 1
            stats["trajecten"] += len(sub.trajecten)
            stats["banen"] += len(sub.banen)
            summary["trajectories"] += len(sub.trajecten)
            summary["jobs"] += len(sub.banen)
    return summary


def _first_version(sub: _Submission, rng: random.Random) -> _Submission:
    """The version that the correction replaces: some rows missing, one financing wrong."""
    keep = [row for i, row in enumerate(sub.trajecten) if i % 9 != 4]
    kept_ids = {row[0] for row in keep}
    changed = [list(row) for row in keep]
    for row in changed[:: max(1, len(changed) // 5)]:
        row[5] = "UWV" if row[5].upper() != "UWV" else "GEMEENTE"
        row[6] = ""
    banen = [row for row in sub.banen if row[0] in kept_ids]
    fte = None if sub.fte is None else round(sub.fte + 1.0, 1)
    return _Submission(changed, banen, fte, len(changed), len(banen))


def _add_errors(sub: _Submission, quarter: Quarter, style: _Style) -> None:
    """Rows a loader must quarantine: unknown region, end before start, bad hours."""
    yes, no = style.booleans
    start = quarter.start + timedelta(days=10)
    bad = [
        ["ERR000001", "AM04", "IPS", "EPA", "GOEDGEKEURD", "UWV", "",
         _fmt_date(start, style), "", "", no, no, no, no],
        ["ERR000002", "AM18", "WABZ", "", "", "GEMEENTE", "",
         _fmt_date(start, style), _fmt_date(start - timedelta(days=5), style),
         "OVERIG", no, no, no, no],
        ["ERR000003", "AM18", "IPS", "EPA", "GOEDGEKEURD", "UWV", "",
         _fmt_date(start, style), _fmt_date(start + timedelta(days=20), style), "", yes, no,
         no, no],
    ]
    sub.trajecten.extend(bad)
    sub.banen.append(["ERR000099", 1, _fmt_date(start, style), "", _fmt_num(95.0, style), "",
                      "", "LOONDIENST"])
