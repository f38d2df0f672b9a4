"""The defects real submissions have, so the demo shows the work the system exists to do.

Drawn from the seed, like everything else (``random.Random(f"{seed}:defects:…")``):

* **quarantined rows** — each quarter about one delivering organisation in
  twelve (at least two) adds one to three rows the loader must set aside:
  a trajectory whose ``startdatum`` is typed as a date that does not exist
  (31 February), a trajectory with a misspelt financing code (``GEMENTE``),
  or a job whose ``traject_id`` is in no trajectory of the file. Each is an
  *extra* row (a copy of one of the organisation's rows with a new id), so the
  figures do not change by it: the row never reaches a mart;
* **one rejected file** — in the third quarter from the end of the range, one
  organisation's file carries an extra ``bsn`` column (values that fail the
  eleven-test, the column name is what rejects it). Nothing of it is loaded,
  so that organisation is missing for the quarter and its regions are
  marked ``*`` until the late correction arrives;
* **the late correction** — the same submission without the column, written
  only by ``werkmonitor generate --late`` as ``<ORG>_<Q>_v2`` so a newcomer
  can drop it into ``raw/`` and watch the sensor and ``werkmonitor status``.

Organisations that miss a quarter altogether come from the delivery plan
(``register._delivers``), not from here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from werkmonitor.generate.formats import _code, _fmt_date, _fmt_num, _Style, _Submission
from werkmonitor.generate.model import RESUBMISSION
from werkmonitor.quarters import Quarter

IDENTIFIER_COLUMN = "bsn"
KINDS = ("invalid_date", "invalid_code", "unknown_traject_id")


@dataclass
class DefectPlan:
    """Which organisation gets which defects in which quarter."""

    quarantine: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # q → org → kinds
    rejected: tuple[str, str] | None = None  # (org, quarter)


def plan_defects(quarters: list[Quarter], delivering: dict[str, set[str]], seed: int) -> DefectPlan:
    plan = DefectPlan()
    if quarters:
        target = quarters[max(0, len(quarters) - 3)]
        rng = random.Random(f"{seed}:defects:rejected")
        candidates = sorted(delivering[str(target)] - {RESUBMISSION[0]})
        if candidates:
            plan.rejected = (rng.choice(candidates), str(target))
    for quarter in map(str, quarters):
        rng = random.Random(f"{seed}:defects:{quarter}")
        candidates = sorted(org for org in delivering[quarter]
                            if plan.rejected != (org, quarter))
        n = min(len(candidates), max(2, round(len(candidates) / 12)))
        plan.quarantine[quarter] = {
            org: [rng.choice(KINDS) for _ in range(rng.randint(1, 3))]
            for org in sorted(rng.sample(candidates, n))
        }
    return plan


def _bad_date(quarter: Quarter, style: _Style) -> str:
    return f"31-02-{quarter.year}" if style.dutch else f"{quarter.year}-02-31"


def add_quarantine_rows(sub: _Submission, kinds: list[str], quarter: Quarter,
                        style: _Style) -> int:
    """Append one row per defect; returns how many rows the loader will quarantine."""
    if not sub.trajecten:
        return 0
    for number, kind in enumerate(kinds, start=1):
        template = sub.trajecten[(number * 7) % len(sub.trajecten)]
        new_id = f"{template[0]}-{number}"
        if kind == "unknown_traject_id":
            start = quarter.start
            sub.banen.append([new_id, 1, _fmt_date(start, style), "", _fmt_num(24.0, style),
                              "", "", _code("LOONDIENST", style)])
            continue
        row = list(template)
        row[0] = new_id
        if kind == "invalid_date":
            row[7] = _bad_date(quarter, style)
        else:
            row[5] = _code("GEMENTE", style)
            row[6] = ""
        sub.trajecten.append(row)
    return len(kinds)


def with_identifier_column(sub: _Submission, seed: int) -> list[list]:
    """The trajecten rows with a ``bsn`` column holding numbers that fail the eleven-test."""
    rng = random.Random(f"{seed}:defects:bsn")
    rows = []
    for row in sub.trajecten:
        while True:
            digits = [rng.randint(0, 9) for _ in range(9)]
            weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
            if sum(d * w for d, w in zip(digits, weights, strict=True)) % 11:
                break
        rows.append([*row, "".join(map(str, digits))])
    return rows
