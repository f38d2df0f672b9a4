"""Jobs, exit reasons and activity propensities of a trajectory, drawn with the simulator's rng.

A mixin of ``simulate._Simulator`` (same ``self.rng``, same order of draws),
kept apart so each file reads in one sitting.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from werkmonitor.generate.model import Job, Trajectory, _pick


class _JobDraws:
    rng: random.Random

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
