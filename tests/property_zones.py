"""Hypothesis strategies for odd but valid submissions and landing zones, and their writers.

Everything drawn is valid by the submission format (docs/spec/submission-format.md),
with the shapes that break naive code: tiny and huge organisations, no jobs at
all (empty breakdowns), zero FTE, only orientation rows, every row
quarantined (an unknown region on every trajectory, on purpose), a
correction (two versions in one quarter), an organisation that stops
delivering. Codes come from the seeds (``werkmonitor.reference``), so the
strategies follow the catalogue. Files are written as a CSV folder or, through
the demo's xlsx writer, as a workbook.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st

from werkmonitor import reference
from werkmonitor.quarters import Quarter

TRAJECT_COLUMNS = [
    "traject_id", "arbeidsmarktregio", "trajecttype", "ips_regeling", "fase", "financiering",
    "financiering_detail", "startdatum", "einddatum", "uitstroomreden", "opleiding",
    "proefplaatsing", "vrijwilligerswerk", "dagbesteding",
]
BAAN_COLUMNS = ["traject_id", "baan_nr", "startdatum", "einddatum", "uren_per_week",
                "loonwaarde_pct", "contractduur_maanden", "contractsoort"]
ORG_COLUMNS = ["organisatie_code", "kwartaal", "fte_trajectbegeleiding"]
UNKNOWN_REGION = "AM99"  # not a CBS code: the loader quarantines the row

CODES = {name: reference.code_list(name) for name in (
    "trajectory_types", "ips_schemes", "ips_phases", "financing_types", "financing_details",
    "exit_reasons", "contract_kinds")}
REGIONS = tuple(reference.regions())


@dataclass
class Submission:
    org: str
    quarter: str
    trajecten: list[dict]
    banen: list[dict]
    fte: float | None
    xlsx: bool = False
    suffix: str = ""
    quarantined: int = 0  # rows the loader must set aside (trajecten + their jobs)

    @property
    def name(self) -> str:
        return f"{self.org}_{self.quarter}{self.suffix}"


@dataclass
class Zone:
    quarters: list[str]
    submissions: list[Submission] = field(default_factory=list)


def _day(quarter: Quarter, offset: int) -> date:
    return min(quarter.end, quarter.start + timedelta(days=offset))


@st.composite
def trajectories(draw, quarter: Quarter, org: str, shape: str, size: int):
    """Rows of one submission; ``shape`` picks the oddity."""
    rows, jobs = [], []
    types = ["IPS"] if shape == "orientation_only" else list(CODES["trajectory_types"])
    for n in range(size):
        kind = draw(st.sampled_from(types))
        start = quarter.start - timedelta(days=draw(st.integers(0, 1500)))
        if draw(st.booleans()):
            start = _day(quarter, draw(st.integers(0, 90)))
        ended = draw(st.booleans()) and shape != "orientation_only"
        end = max(start, _day(quarter, draw(st.integers(0, 90)))) if ended else None
        if end is not None and end < quarter.start:
            end = quarter.start
        financing = draw(st.sampled_from(CODES["financing_types"]))
        phase = "ORIENTATIE" if shape == "orientation_only" else (
            draw(st.sampled_from(CODES["ips_phases"])) if kind == "IPS" else "")
        row = {
            "traject_id": f"{org[-2:]}T{n:05d}",
            "arbeidsmarktregio": UNKNOWN_REGION if shape == "all_quarantined"
            else draw(st.sampled_from(REGIONS)),
            "trajecttype": kind,
            "ips_regeling": draw(st.sampled_from(CODES["ips_schemes"])) if kind == "IPS" else "",
            "fase": phase,
            "financiering": financing,
            "financiering_detail": draw(st.sampled_from(("", *CODES["financing_details"])))
            if financing == "OVERIG" else "",
            "startdatum": start,
            "einddatum": end,
            "uitstroomreden": draw(st.sampled_from(CODES["exit_reasons"])) if ended else "",
            **{flag: draw(st.sampled_from(("ja", "nee"))) for flag in TRAJECT_COLUMNS[10:]},
        }
        rows.append(row)
        if shape in ("no_jobs", "orientation_only") or phase == "ORIENTATIE":
            continue
        for number in range(1, draw(st.integers(0, 3)) + 1):
            job_start = start + timedelta(days=draw(st.integers(-200, 400)))
            if job_start > quarter.end:
                break
            jobs.append({
                "traject_id": row["traject_id"], "baan_nr": number, "startdatum": job_start,
                "einddatum": (job_start + timedelta(days=draw(st.integers(0, 500))))
                if draw(st.booleans()) else None,
                "uren_per_week": draw(st.sampled_from((0, 0.5, 8, 12, 24, 32, 40, 79.5, 80))),
                "loonwaarde_pct": draw(st.sampled_from((None, 0, 35, 100))),
                "contractduur_maanden": draw(st.sampled_from((None, 0, 3, 12))),
                "contractsoort": draw(st.sampled_from(CODES["contract_kinds"])),
            })
    return rows, jobs


SHAPES = ("normal", "no_jobs", "orientation_only", "all_quarantined", "zero_fte")


@st.composite
def submissions(draw, org: str, quarter: str, shape: str | None = None, sizes=None):
    q = Quarter.parse(quarter)
    sizes = sizes if sizes is not None else st.integers(1, 12)
    shape = shape or draw(st.sampled_from(SHAPES))
    size = draw(sizes)
    rows, jobs = draw(trajectories(q, org, shape, size))
    has_ips = any(r["trajecttype"] == "IPS" for r in rows)
    if shape == "zero_fte":
        fte = 0.0
    else:
        fte = draw(st.sampled_from((0.1, 1.0, 2.5, 12.0))) if has_ips else None
    quarantined = len(rows) + len(jobs) if shape == "all_quarantined" else 0
    return Submission(org, quarter, rows, jobs, fte, xlsx=draw(st.booleans()),
                      quarantined=quarantined)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write(sub: Submission, quarter_dir: Path) -> Path:
    quarter_dir.mkdir(parents=True, exist_ok=True)
    org_rows = [{"organisatie_code": sub.org, "kwartaal": sub.quarter,
                 "fte_trajectbegeleiding": sub.fte}]
    sheets = [("trajecten", TRAJECT_COLUMNS, sub.trajecten), ("banen", BAAN_COLUMNS, sub.banen),
              ("organisatie", ORG_COLUMNS, org_rows)]
    if sub.xlsx:
        from werkmonitor.demo.xlsx import write_xlsx

        path = quarter_dir / f"{sub.name}.xlsx"
        write_xlsx(path, [(name, [columns, *[[_xlsx(r.get(c)) for c in columns] for r in rows]])
                          for name, columns, rows in sheets])
        return path
    folder = quarter_dir / sub.name
    folder.mkdir()
    for name, columns, rows in sheets:
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows([_text(r.get(c)) for c in columns] for r in rows)
    return folder


def _xlsx(value):
    return "" if value is None else value


def organisations_for(quarters: list[str]) -> list[str]:
    """Organisations the register lists and that are active in every quarter given."""
    orgs = reference.organisations()
    entries = reference.organisation_regions()
    return sorted(
        code for code, org in orgs.items()
        if all(org.is_active(Quarter.parse(q)) for q in quarters)
        and any(e.organisation_code == code for e in entries)
    )


@st.composite
def zones(draw, first_quarters=("2024Q1", "2024Q2", "2024Q3")):
    start = Quarter.parse(draw(st.sampled_from(first_quarters)))
    quarters = [str(start), str(start.next())]
    pool = organisations_for(quarters)
    orgs = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
    zone = Zone(quarters)
    huge = draw(st.booleans())
    for index, org in enumerate(sorted(orgs)):
        stops = index > 0 and draw(st.booleans())  # delivers the first quarter only
        for quarter in quarters[:1] if stops else quarters:
            sizes = st.integers(150, 250) if huge and index == 0 else st.integers(0, 8)
            sub = draw(submissions(org, quarter, sizes=sizes))
            if not sub.trajecten:
                continue
            if draw(st.integers(0, 4)) == 0:  # a correction: the first version goes first
                first = draw(submissions(org, quarter, sizes=st.integers(1, 4)))
                zone.submissions.append(first)
                sub.suffix = "_v2"
            zone.submissions.append(sub)
    return zone
