"""How each organisation writes its files, and the projection of lives onto one quarter."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from werkmonitor.generate.model import _XLSX_AT_SCALE, TRAJECT_COLUMNS, Trajectory
from werkmonitor.quarters import Quarter

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
    # an xlsx costs more to write and read than a CSV; at large scales only
    # one small organisation keeps sending Excel so the run stays fast
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
