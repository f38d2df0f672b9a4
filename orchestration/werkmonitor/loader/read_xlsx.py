"""Workbooks with python-calamine, the one xlsx reader: every sheet, as text columns.

Every sheet is read, not only the three of the format, because an extra sheet
is scanned for identifiers too. calamine types cells the way Excel shows them
(date cells become dates); ``cells.text_column`` turns each column into text.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from python_calamine import CalamineWorkbook

from werkmonitor.loader.cells import SheetCells, text_column
from werkmonitor.loader.problem import Problem


def normalise_header(values: pa.Array) -> list[str]:
    """Header as compared: lower-case, surrounding spaces ignored; trailing empties dropped."""
    header = [("" if v is None else v.strip().lower()) for v in values.to_pylist()]
    while header and not header[-1]:
        header.pop()
    return header


def _sheet(name: str, label: str, rows: list[list]) -> SheetCells:
    if not rows:
        return SheetCells(name, label, [], [], pa.array([], pa.int32()))
    header = normalise_header(text_column(rows[0]))
    body = rows[1:]
    width = len(rows[0])
    columns = [text_column(col) for col in zip(*body, strict=True)] if body else []
    if not body:
        columns = [pa.array([], pa.string()) for _ in range(width)]
    return SheetCells(name, label, header, columns, pa.array(range(2, len(body) + 2), pa.int32()))


def read_workbook(path: Path, label: str) -> tuple[list[SheetCells], list[Problem]]:
    """All sheets of the workbook in workbook order, or the reason it cannot be read."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size == 0:
        return [], [Problem(label, None, None, None, None, "empty_file")]
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = [
            _sheet(name, label, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in workbook.sheet_names
        ]
    except Exception as exc:  # corrupt zip, not a workbook, encrypted, ...
        detail = {"detail": type(exc).__name__}
        return [], [Problem(label, None, None, None, None, "unreadable", detail)]
    return sheets, []
