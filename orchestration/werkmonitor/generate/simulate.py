"""Draws the whole life of each of one organisation's trajectories, quarter by quarter."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from werkmonitor.generate.model import (
    _DETAIL_WEIGHTS,
    _DETAILS,
    _QUARTERLY_HAZARD,
    Job,
    Trajectory,
    _days,
    _pick,
    _round,
    _target,
    _trend,
)
from werkmonitor.quarters import Quarter, quarter_range

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
