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
    """One 64-bit hash per row (lists and other objects hashed by their text).

    Text columns are hashed as they are; only a frame with a column pandas
    cannot hash (lists) is turned into text first, which costs more than the hash.
    """
    try:
        return pd.util.hash_pandas_object(frame, index=False).to_numpy()
    except TypeError:
        text = frame.astype({c: str for c in frame.columns if frame[c].dtype == object})
        return pd.util.hash_pandas_object(text, index=False).to_numpy()


def frame_digest(frame: pd.DataFrame | None, hashes: np.ndarray | None = None) -> str:
    """Order-independent digest of a frame's rows (DuckDB may return them in any order)."""
    if frame is None:
        return "none"
    rows = np.sort(row_hashes(frame) if hashes is None else hashes)
    return hashlib.sha256(",".join(map(str, frame.columns)).encode() + rows.tobytes()).hexdigest()


def group_digest(owner, name: str, frame: pd.DataFrame, columns: tuple, value: tuple) -> str:
    """Digest of the rows of ``frame`` whose ``columns`` equal ``value``.

    The frame's rows are hashed and grouped once per owner (``owner.digests``):
    a quarter has ~80 reports each reading a slice of the same few frames, and
    hashing or even masking every slice anew took most of an unchanged
    quarter's time.
    """
    key = (name, columns)
    if key not in owner.digests:
        groups: dict[tuple, list[int]] = {}
        if len(frame) and all(c in frame for c in columns):
            for i, v in enumerate(zip(*(frame[c].tolist() for c in columns), strict=True)):
                groups.setdefault(v, []).append(i)
        owner.digests[key] = (row_hashes(frame), groups, frame.iloc[:0])
    hashes, groups, empty = owner.digests[key]
    return frame_digest(empty, hashes[groups.get(value, [])])


def once(owner, name: str, make) -> str:
    """``make()`` (a digest every report of the quarter shares), computed once per owner."""
    if name not in owner.digests:
        owner.digests[name] = make()
    return owner.digests[name]


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
    files = data.pub_rows[["organisation_code", "file_name", "content_hash"]]
    return (
        data.stamp_key(),
        once(data, "files", lambda: frame_digest(files)),
        data.breakdowns.key(),
    )


def region_digest(data: PublicData, code: str) -> str:
    """What a regional report (and an organisation's column for it) reads."""
    key = f"region:{code}"
    if key in data.digests:
        return data.digests[key]
    region = ("level", "region_code")
    parts = [
        group_digest(data, "ind", data.indicators, region, ("region", code)),
        group_digest(data.shared, "hist", data.history, region, ("region", code)),
        group_digest(data, "comp", data.completeness, ("region_code",), (code,)),
    ]
    data.digests[key] = "|".join(parts)
    return data.digests[key]


def organisation_rows(public: PublicData, work: WorkingData, code: str) -> tuple:
    wanted = work.regions_of(code)

    def own(name: str, frame: pd.DataFrame, owner=work) -> str:
        if frame.empty or "organisation_code" not in frame:
            return once(owner, f"all:{name}", lambda: frame_digest(frame))
        return group_digest(owner, name, frame, ("organisation_code",), (code,))

    return (
        own("ind", work.indicators),
        own("hist", work.history, work.shared),
        own("submissions", work.submissions),
        own("rejections", work.rejections),
        own("quarantined", work.quarantined),
        once(work, "gates", lambda: frame_digest(work.gates)),
        group_digest(public, "ind", public.indicators, ("level",), ("national",)),
        ",".join(wanted),
        *(region_digest(public, r) for r in wanted),
    )
