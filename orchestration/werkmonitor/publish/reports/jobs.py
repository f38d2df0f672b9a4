"""The reports of a quarter as jobs: a name, an output path, its inputs' digest.

A job's digest hashes every row the report reads plus the code and template
that draw it, so an unchanged report is skipped (``ReportsResult.skipped``)
and a changed one is drawn again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from werkmonitor.publish.reports.data import PublicData
from werkmonitor.publish.reports.workdata import WorkingData


@dataclass
class Job:
    name: str  # landelijk / regio/AM13 / organisatie/ORG01
    path: Path
    build: Callable  # () -> Report
    digest: str
    stamp_files: list[str] | None = None
    pdf: bool = False

    @property
    def digest_path(self) -> Path:
        return self.path.with_name(f".{self.path.name}.inputs")


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the template and of the code that draws a report."""
    here = Path(__file__).parent
    sources = sorted(here.glob("*.py")) + sorted((here.parent / "templates").glob("*"))
    sources += [here.parent / "svgcharts.py", here.parent / "formatting.py"]
    h = hashlib.sha256()
    for path in sources:
        if path.exists():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def frame_digest(frame: pd.DataFrame | None) -> str:
    """Order-independent digest of a frame's rows (DuckDB may return them in any order)."""
    if frame is None:
        return "none"
    lines = frame.astype(str).to_csv(index=False).splitlines()
    body = "\n".join([lines[0], *sorted(lines[1:])]) if lines else ""
    return hashlib.sha256(body.encode()).hexdigest()


def digest(*parts) -> str:
    h = hashlib.sha256(code_version().encode())
    for part in parts:
        h.update(
            b"\x00"
            + (
                frame_digest(part) if isinstance(part, pd.DataFrame) or part is None else str(part)
            ).encode()
        )
    return h.hexdigest()


def public_digest_parts(data: PublicData) -> tuple:
    return (data.stamp_key(), data.pub_rows[["organisation_code", "file_name", "content_hash"]])


def region_rows(data: PublicData, code: str) -> tuple:
    ind, hist, comp = data.indicators, data.history, data.completeness
    return (
        ind[(ind["level"] == "region") & (ind["region_code"] == code)],
        hist[(hist["level"] == "region") & (hist["region_code"] == code)],
        comp[comp["region_code"] == code] if len(comp) else comp,
    )


def organisation_rows(public: PublicData, work: WorkingData, code: str) -> tuple:
    ind = public.indicators
    wanted = work.regions_of(code)
    return (
        work.of(work.indicators, code),
        work.of(work.history, code),
        work.of(work.submissions, code),
        work.of(work.rejections, code),
        work.of(work.quarantined, code),
        work.gates,
        ind[(ind["level"] == "national") | ind["region_code"].isin(wanted)],
        ",".join(wanted),
    )
