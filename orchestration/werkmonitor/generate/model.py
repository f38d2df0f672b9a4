"""What the generator simulates: trajectories and jobs, the national targets, small helpers.

Calibration constants live here with the reason for each (docs/demo-data.md).
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from werkmonitor.catalogue import submission_format
from werkmonitor.quarters import Quarter

# The columns in the format's order (the catalogue); a style may shuffle trajecten's.
_SHEETS = submission_format().sheets
TRAJECT_COLUMNS = list(_SHEETS["trajecten"].column_names)
BAAN_COLUMNS = list(_SHEETS["banen"].column_names)
ORG_COLUMNS = list(_SHEETS["organisatie"].column_names)

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

# calibration weights per financing_detail code (seed financing_details; "" = empty);
# tests/test_generate.py checks the codes against the seed
_DETAILS = ["ZPM", "WERKGEVER", "WMO", "JEUGDWET", "EIGEN_MIDDELEN", "HOOFDZAAK_WERK", "ANDERS", ""]
_DETAIL_WEIGHTS = [0.25, 0.2, 0.12, 0.03, 0.08, 0.12, 0.1, 0.1]

RESUBMISSION = ("ORG05", "2024Q2")
_XLSX_AT_SCALE = "ORG29"



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
