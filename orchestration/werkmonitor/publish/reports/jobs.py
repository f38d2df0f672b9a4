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

import numpy as np
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
    bundle: Path | None = None  # the chart script file the page loads (its tier's folder)

    @property
    def digest_path(self) -> Path:
        return self.path.with_name(f".{self.path.name}.inputs")


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the template and of the code that draws a report."""
    here = Path(__file__).parent
    sources = sorted(here.glob("*.py")) + sorted((here.parent / "templates").glob("*"))
    root = here.parents[1]  # werkmonitor/: the chart grammar and the formatter draw it too
    sources += sorted((root / "charts").glob("*.py")) + [root / "formatting.py"]
    h = hashlib.sha256()
    for path in sources:
        if path.exists():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row (lists and other objects hashed by their text)."""
    text = frame.astype({c: str for c in frame.columns if frame[c].dtype == object})
    return pd.util.hash_pandas_object(text, index=False).to_numpy()


def frame_digest(frame: pd.DataFrame | None, hashes: np.ndarray | None = None) -> str:
    """Order-independent digest of a frame's rows (DuckDB may return them in any order)."""
    if frame is None:
        return "none"
    rows = np.sort(row_hashes(frame) if hashes is None else hashes)
    return hashlib.sha256(",".join(map(str, frame.columns)).encode() + rows.tobytes()).hexdigest()


def subset_digest(owner, name: str, frame: pd.DataFrame, mask) -> str:
    """Digest of ``frame[mask]``, hashing ``frame``'s rows only once per owner.

    A quarter has ~80 reports each reading a slice of the same few frames;
    hashing every slice anew took most of an unchanged quarter's time.
    """
    if name not in owner.digests:
        owner.digests[name] = row_hashes(frame)
    mask = np.asarray(mask, dtype=bool)
    return frame_digest(frame.iloc[:0], owner.digests[name][mask])


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


def region_digest(data: PublicData, code: str) -> str:
    """What a regional report (and an organisation's column for it) reads."""
    key = f"region:{code}"
    if key in data.digests:
        return data.digests[key]
    ind, hist, comp = data.indicators, data.history, data.completeness
    parts = [
        subset_digest(data, "ind", ind, (ind["level"] == "region") & (ind["region_code"] == code)),
        subset_digest(
            data, "hist", hist, (hist["level"] == "region") & (hist["region_code"] == code)
        ),
        frame_digest(comp[comp["region_code"] == code] if len(comp) else comp),
    ]
    data.digests[key] = "|".join(parts)
    return data.digests[key]


def organisation_rows(public: PublicData, work: WorkingData, code: str) -> tuple:
    ind = public.indicators
    wanted = work.regions_of(code)

    def own(name: str, frame: pd.DataFrame) -> str:
        if frame.empty or "organisation_code" not in frame:
            return frame_digest(frame)
        return subset_digest(work, name, frame, frame["organisation_code"] == code)

    return (
        own("ind", work.indicators),
        own("hist", work.history),
        work.of(work.submissions, code),
        work.of(work.rejections, code),
        work.of(work.quarantined, code),
        work.gates,
        subset_digest(public, "ind", ind, ind["level"] == "national"),
        ",".join(wanted),
        *(region_digest(public, r) for r in wanted),
    )
