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

import random
from datetime import timedelta
from pathlib import Path

from werkmonitor import reference
from werkmonitor.generate.formats import _fmt_date, _fmt_num, _project, _Style, _style, _Submission
from werkmonitor.generate.model import RESUBMISSION
from werkmonitor.generate.register import _delivers, _plans
from werkmonitor.generate.simulate import _Simulator
from werkmonitor.generate.writers import _write_submission
from werkmonitor.quarters import Quarter, quarter_range

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
