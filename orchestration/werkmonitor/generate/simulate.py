"""Draws the whole life of each of one organisation's trajectories, quarter by quarter."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from werkmonitor.generate.jobs import _JobDraws
from werkmonitor.generate.model import (
    _DETAIL_WEIGHTS,
    _DETAILS,
    _QUARTERLY_HAZARD,
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


class _Simulator(_JobDraws):
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
