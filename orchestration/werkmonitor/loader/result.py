"""What checking one submission gives: verdict, problems, and the typed rows to store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from werkmonitor.loader.problem import Problem


@dataclass
class CheckResult:
    path: Path
    file_path: str  # as stored in audit.submissions (relative to the raw dir when given)
    display_name: str
    organisation_code: str | None
    quarter: str | None
    content_hash: str
    file_format: str
    rejections: list[Problem] = field(default_factory=list)
    quarantined: list[Problem] = field(default_factory=list)
    trajecten: pa.Table | None = None
    banen: pa.Table | None = None
    organisatie: pa.Table | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_rejected(self) -> bool:
        return bool(self.rejections)

    @property
    def rows_quarantined(self) -> int:
        return sum(_count_true(t) for t in (self.trajecten, self.banen) if t is not None)

    @property
    def rows_accepted(self) -> int:
        rows = sum(t.num_rows for t in (self.trajecten, self.banen) if t is not None)
        return rows - self.rows_quarantined

    def format_feedback(self, lang: str = "nl") -> str:
        from werkmonitor.loader.feedback import format_feedback

        return format_feedback(self, lang)


def _count_true(table: pa.Table) -> int:
    return int(pc.sum(table.column("is_quarantined")).as_py() or 0)
