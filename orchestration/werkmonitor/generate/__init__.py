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
from pathlib import Path

from werkmonitor import reference
from werkmonitor.generate.defects import (
    IDENTIFIER_COLUMN,
    add_quarantine_rows,
    plan_defects,
    with_identifier_column,
)
from werkmonitor.generate.formats import _project, _style, _Submission
from werkmonitor.generate.model import RESUBMISSION
from werkmonitor.generate.register import _delivers, _plans
from werkmonitor.generate.simulate import _Simulator
from werkmonitor.generate.writers import _write_submission
from werkmonitor.quarters import quarter_range


def generate_landing_zone(
    out: Path,
    scale: float = 1,
    seed: int = 42,
    first: str = "2022Q4",
    last: str = "2025Q2",
    defects: bool = False,
    late: bool = False,
) -> dict:
    """Write ``out/<YYYYQn>/<ORG>_<YYYYQn>[...]`` submissions; return a summary.

    ``defects`` adds what real submissions have (``generate.defects``):
    quarantined rows in several organisations each quarter and one file
    rejected for an identifier column (``werkmonitor generate`` turns it on;
    ``--clean`` off). ``late`` writes *only* the late correction of that
    rejected file (``<ORG>_<Q>_v2``), the separate step of the demo
    (``werkmonitor generate --late --out raw``); it needs the same seed,
    scale and range as the landing zone it corrects.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    out = Path(out)
    quarters = quarter_range(str(first), str(last))
    if not quarters:
        raise ValueError(f"empty quarter range {first}..{last}")
    plans, shares = _plans(quarters, seed)
    delivering = _delivers(plans, quarters, seed)
    defect_plan = plan_defects(quarters, delivering, seed) if defects or late else None
    register = reference.organisation_regions()
    summary: dict = {
        "seed": seed, "scale": scale, "quarters": {}, "trajectories": 0, "jobs": 0,
        "resubmission": None, "defects": None,
    }
    if defect_plan is not None:
        summary["defects"] = {"quarantined_rows": {}, "rejected": None, "late_correction": None}
    for quarter in quarters:
        summary["quarters"][str(quarter)] = {"files": 0, "trajecten": 0, "banen": 0}
        if not late:
            (out / str(quarter)).mkdir(parents=True, exist_ok=True)
    rejected = defect_plan.rejected if defect_plan else None
    for plan in plans:
        if late and (rejected is None or plan.code != rejected[0]):
            continue
        sim = _Simulator(plan, shares.get(plan.code, {}), scale, seed)
        trajs = sim.simulate()
        trajs.sort(key=lambda t: (t.first_day, t.traject_id))
        style = _style(plan.code, scale, seed)
        for quarter in quarters:
            key = str(quarter)
            if plan.code not in delivering[key] or (late and key != rejected[1]):
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
            name = f"{plan.code}_{key}"
            if late:
                (out / key).mkdir(parents=True, exist_ok=True)
                path = _write_submission(out / key / f"{name}_v2", sub, plan.code, key, style)
                summary["defects"]["late_correction"] = str(path.relative_to(out))
                _count(summary, key, sub)
                continue
            if (plan.code, key) == rejected:
                with_bsn = _Submission(with_identifier_column(sub, seed), sub.banen, sub.fte,
                                       sub.n_running, sub.n_jobs)
                path = _write_submission(out / key / name, with_bsn, plan.code, key, style,
                                         extra_column=IDENTIFIER_COLUMN)
                summary["defects"]["rejected"] = str(path.relative_to(out))
                _count(summary, key, with_bsn)
                continue
            kinds = defect_plan.quarantine[key].get(plan.code) if defect_plan else None
            if kinds:
                rows = add_quarantine_rows(sub, kinds, quarter, style)
                summary["defects"]["quarantined_rows"].setdefault(key, {})[plan.code] = rows
            if (plan.code, key) == RESUBMISSION:
                first_version = _first_version(sub, rng)
                _write_submission(out / key / name, first_version, plan.code, key, style)
                summary["quarters"][key]["files"] += 1
                name = f"{name}_v2"
                summary["resubmission"] = f"{key}/{name}"
            _write_submission(out / key / name, sub, plan.code, key, style)
            _count(summary, key, sub)
    if summary["defects"]:
        summary["defects"]["quarantined_rows"] = dict(sorted(
            summary["defects"]["quarantined_rows"].items()))
    return summary


def _count(summary: dict, quarter: str, sub: _Submission) -> None:
    stats = summary["quarters"][quarter]
    stats["files"] += 1
    stats["trajecten"] += len(sub.trajecten)
    stats["banen"] += len(sub.banen)
    summary["trajectories"] += len(sub.trajecten)
    summary["jobs"] += len(sub.banen)


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
