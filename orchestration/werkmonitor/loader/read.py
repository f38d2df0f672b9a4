"""Reading a submission (xlsx workbook or CSV folder) into framed sheets.

Every sheet of a workbook and every file of a folder is read: the three of
the format become data, the others are scanned for identifiers only (a BSN
must not get in through an instruction sheet or a stray export).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from werkmonitor.catalogue import submission_format
from werkmonitor.loader import identifiers
from werkmonitor.loader.files import CSV_FILES, content_hash, extra_members, find_member
from werkmonitor.loader.frame import Frame, frame_sheet
from werkmonitor.loader.problem import Problem
from werkmonitor.loader.read_csv import read_csv_file
from werkmonitor.loader.read_xlsx import read_workbook

__all__ = ["RawSubmission", "content_hash", "read_csv_folder", "read_xlsx"]  # content_hash: compat

SHEETS = tuple(submission_format().sheets)
_SCANNED_EXTRAS = (".csv", ".txt", ".xlsx")


@dataclass
class RawSubmission:
    file_format: str
    frames: dict[str, Frame] = field(default_factory=dict)  # the format's sheets that were read
    extras: list[Frame] = field(default_factory=list)  # scanned for identifiers only
    rejections: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_xlsx(path: Path, label: str) -> RawSubmission:
    sub = RawSubmission("xlsx")
    sheets, problems = read_workbook(path, label)
    sub.rejections += problems
    by_name = {cells.name.strip().lower(): cells for cells in sheets}
    for extra in sorted(set(by_name) - set(SHEETS)):
        shown = "…" if identifiers.text_is_bsn(extra) else by_name[extra].name
        sub.notes.append(f"extra_sheet:{shown}")
        sub.extras.append(frame_sheet(by_name[extra], shown, None, xlsx=True))
    if problems:
        return sub
    formats = submission_format().sheets
    for sheet in SHEETS:
        if sheet not in by_name:
            params = {"sheet_name": sheet}
            sub.rejections.append(Problem(label, sheet, None, None, None, "missing_sheet", params))
            continue
        frame = frame_sheet(by_name[sheet], sheet, formats[sheet], xlsx=True)
        sub.rejections += frame.problems
        if frame.keep is not None:
            sub.frames[sheet] = frame
    return sub


def _scan_extra(sub: RawSubmission, member: Path, label: str) -> None:
    """An extra file of a folder: its columns and values are checked for identifiers."""
    if member.suffix.lower() == ".xlsx":
        sheets, _ = read_workbook(member, label)
        sub.extras += [frame_sheet(cells, cells.name, None, xlsx=True) for cells in sheets]
        return
    cells, _ = read_csv_file(member, None, label, lenient=True)
    if cells is not None:
        sub.extras.append(frame_sheet(cells, None, None, xlsx=False))


def read_csv_folder(path: Path, label_prefix: str) -> RawSubmission:
    sub = RawSubmission("csv")
    for child in extra_members(path):
        sub.notes.append(f"extra_file:{child.name}")
        if child.is_file() and child.suffix.lower() in _SCANNED_EXTRAS:
            _scan_extra(sub, child, f"{label_prefix}/{child.name}")
    formats = submission_format().sheets
    for sheet, name in zip(SHEETS, CSV_FILES, strict=True):
        member = find_member(path, name)
        label = f"{label_prefix}/{member.name if member else name}"
        if member is None:
            params = {"file_name": name}
            sub.rejections.append(
                Problem(f"{label_prefix}/", None, None, None, None, "missing_file", params)
            )
            continue
        cells, problem = read_csv_file(member, sheet, label)
        if problem is not None:
            sub.rejections.append(problem)
            continue
        frame = frame_sheet(cells, sheet, formats[sheet], xlsx=False)
        sub.rejections += frame.problems
        if frame.keep is not None:
            sub.frames[sheet] = frame
    return sub
