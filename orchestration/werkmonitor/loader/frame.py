"""From cells to a sheet: header checks, blank and ragged rows, the columns to keep.

The header decides whether there is anything to check at all (missing,
unknown, duplicate and identifier columns reject the submission), so it is
checked before any value is looked at. Values of a column whose name looks
like an identifier are never read further.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from werkmonitor.catalogue import Sheet
from werkmonitor.loader import identifiers
from werkmonitor.loader.cells import SheetCells
from werkmonitor.loader.problem import Problem

# a structural problem repeated on many rows is reported this many times
MAX_REPEATED = 10


@dataclass
class Frame:
    cells: SheetCells
    sheet: str | None  # sheet name in messages (None for an extra CSV file)
    known: dict[str, int] = field(default_factory=dict)  # spec column -> position
    identifier_idx: set[int] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    keep: pa.Array | None = None  # rows that are data (not blank, not ragged)

    @property
    def label(self) -> str:
        return self.cells.label


def _blank(column: pa.Array) -> pa.Array:
    return pc.fill_null(pc.equal(pc.utf8_trim_whitespace(column), ""), True)


def _header_problems(frame: Frame, spec: Sheet | None) -> None:
    label, sheet, header = frame.label, frame.sheet, frame.cells.header
    allowed = set(spec.column_names) if spec else set()
    add = frame.problems.append
    for idx, name in enumerate(header):
        if not name:
            continue
        if identifiers.text_is_bsn(name):
            # a header that is itself a BSN: never echoed as a column name
            frame.identifier_idx.add(idx)
            add(Problem(label, sheet, 1, None, None, "bsn_value"))
        elif identifiers.looks_like_identifier_column(name) and name not in allowed:
            frame.identifier_idx.add(idx)
            add(Problem(label, sheet, 1, name, None, "identifier_column", {"column_name": name}))
        elif spec is None:
            continue
        elif name not in allowed:
            params = {"column_name": name, "allowed": ", ".join(spec.column_names)}
            add(Problem(label, sheet, 1, name, None, "unknown_column", params))
        elif name in frame.known:
            add(Problem(label, sheet, 1, name, None, "duplicate_column", {"column_name": name}))
        else:
            frame.known[name] = idx
    for col in spec.columns if spec else ():
        if col.name not in frame.known and not col.may_be_omitted:
            params = {"column_name": col.name}
            add(Problem(label, sheet, 1, col.name, None, "missing_column", params))


def frame_sheet(cells: SheetCells, sheet: str | None, spec: Sheet | None, xlsx: bool) -> Frame:
    """Check the header (against ``spec``; an extra sheet only for identifiers) and the rows."""
    frame = Frame(cells, sheet)
    if spec is not None and not any(cells.header):
        frame.problems.append(Problem(cells.label, sheet, 1, None, None, "missing_header"))
        return frame
    _header_problems(frame, spec)
    n, width = cells.n_rows, len(cells.header)
    nonblank = pa.array([False] * n, pa.bool_())
    for column in cells.columns:
        nonblank = pc.or_(nonblank, pc.invert(_blank(column)))
    ragged = pa.array([False] * n, pa.bool_())
    for column in cells.columns[width:]:
        ragged = pc.or_(ragged, pc.invert(_blank(column)))
    frame.keep = pc.and_(nonblank, pc.invert(ragged))
    if spec is None:
        frame.keep = nonblank
        return frame
    bad = pc.indices_nonzero(ragged).to_pylist()
    rows = cells.source_rows
    if xlsx and bad:
        frame.problems.append(
            Problem(cells.label, sheet, rows[bad[0]].as_py(), None, None, "unnamed_column")
        )
    for i in [] if xlsx else bad[:MAX_REPEATED]:
        params = {"found": cells.lengths[i].as_py(), "expected": width}
        frame.problems.append(
            Problem(cells.label, sheet, rows[i].as_py(), None, None, "ragged_row", params)
        )
    for idx, name in enumerate(cells.header):
        if not name and idx < len(cells.columns):
            filled = pc.and_(frame.keep, pc.invert(_blank(cells.columns[idx])))
            if pc.any(filled).as_py():
                frame.problems.append(Problem(cells.label, sheet, 1, None, None, "unnamed_column"))
    return frame


def data_table(frame: Frame, spec: Sheet) -> pa.Table:
    """``source_row`` and every spec column as delivered text (null when left out), data rows."""
    cells, n = frame.cells, frame.cells.n_rows
    columns = {"source_row": cells.source_rows}
    for col in spec.columns:
        idx = frame.known.get(col.name)
        columns[col.name] = (
            cells.columns[idx]
            if idx is not None and idx < len(cells.columns)
            else pa.nulls(n, pa.string())
        )
    table = pa.table(columns)
    return table.filter(frame.keep) if frame.keep is not None else table


def scan_table(frame: Frame) -> tuple[pa.Table, list[str | None]]:
    """Every non-identifier column of the non-blank rows, for the BSN scan, with column names."""
    cells = frame.cells
    positions = [i for i in range(len(cells.columns)) if i not in frame.identifier_idx]
    names = [(cells.header[i] or None) if i < len(cells.header) else None for i in positions]
    table = pa.table(
        {
            "source_row": cells.source_rows,
            **{f"c{k}": cells.columns[i] for k, i in enumerate(positions)},
        }
    )
    return table, names
