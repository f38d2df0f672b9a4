"""Reading a submission (xlsx workbook or CSV folder) into text columns.

Everything is reduced to text per cell (Excel typed cells are written the way
the loader accepts them as text, e.g. a date cell becomes ``2024-07-01``), so
one vectorised set of normalisers serves both formats. Header checks happen
here because they decide whether there is anything to check at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from werkmonitor.loader import identifiers
from werkmonitor.loader.messages import Problem
from werkmonitor.loader.spec import COLUMNS, SHEETS, normalise_header

# a structural problem repeated on many rows is reported this many times
MAX_REPEATED = 10

CSV_FILES = tuple(f"{sheet}.csv" for sheet in SHEETS)


@dataclass
class RawSheet:
    name: str
    label: str  # file as shown in messages
    headers: list[str]
    known: dict[str, int]  # spec column name -> column index
    data: dict[int, list[str | None]]  # column index -> text cells (no identifier columns)
    rows: list[int]  # source row number of each data row (header = 1)

    def column(self, name: str) -> list[str | None] | None:
        idx = self.known.get(name)
        return None if idx is None else self.data[idx]


@dataclass
class RawSubmission:
    file_format: str
    sheets: dict[str, RawSheet] = field(default_factory=dict)
    rejections: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # positions of BSN-looking numeric cells (sheet, row, column name)
    bsn_cells: list[tuple[str, str, int, str]] = field(default_factory=list)


def content_hash(path: Path) -> str:
    """sha256 of the file; of a folder: name, size and bytes of its three CSVs in name order."""
    digest = hashlib.sha256()
    if path.is_dir():
        for name in sorted(CSV_FILES):
            member = _find_member(path, name)
            if member is None:
                continue
            data = member.read_bytes()
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
    else:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _find_member(folder: Path, name: str) -> Path | None:
    exact = folder / name
    if exact.is_file():
        return exact
    for child in folder.iterdir():
        if child.is_file() and child.name.lower() == name:
            return child
    return None


# --------------------------------------------------------------------------- xlsx


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path, label: str) -> RawSubmission:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size == 0:
        sub = RawSubmission("xlsx")
        sub.rejections.append(Problem(label, None, None, None, None, "empty_file"))
        return sub
    try:
        return _read_xlsx_fast(path, label)
    except Exception:
        # an unusual (or broken) workbook: let openpyxl decide what can be read
        return _read_xlsx_openpyxl(path, label)


def _read_xlsx_fast(path: Path, label: str) -> RawSubmission:
    from werkmonitor.loader.xlsx import Workbook

    sub = RawSubmission("xlsx")
    workbook = Workbook(path)
    try:
        _read_sheets(sub, label, list(workbook.sheets), workbook.rows)
    finally:
        workbook.close()
    return sub


def _read_xlsx_openpyxl(path: Path, label: str) -> RawSubmission:
    import openpyxl  # not needed for CSV-only runs

    sub = RawSubmission("xlsx")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # corrupt zip, not a workbook, encrypted, ...
        sub.rejections.append(
            Problem(label, None, None, None, None, "unreadable", {"detail": type(exc).__name__})
        )
        return sub

    def rows(name: str):
        worksheet = workbook[name]
        worksheet.reset_dimensions()
        return worksheet.iter_rows(values_only=True)

    try:
        _read_sheets(sub, label, workbook.sheetnames, rows)
    finally:
        workbook.close()
    return sub


def _read_sheets(sub: RawSubmission, label: str, sheetnames: list[str], rows_of) -> None:
    by_name = {name.strip().lower(): name for name in sheetnames}
    for extra in sorted(set(by_name) - set(SHEETS)):
        shown = "…" if identifiers.text_is_bsn(extra) else by_name[extra]
        sub.notes.append(f"extra_sheet:{shown}")
    for sheet in SHEETS:
        if sheet not in by_name:
            sub.rejections.append(
                Problem(label, sheet, None, None, None, "missing_sheet", {"sheet_name": sheet})
            )
            continue
        _read_rows(sub, sheet, label, iter(rows_of(by_name[sheet])), xlsx=True)


# --------------------------------------------------------------------------- csv


def read_csv_folder(path: Path, label_prefix: str) -> RawSubmission:
    sub = RawSubmission("csv")
    members = {name: _find_member(path, name) for name in CSV_FILES}
    expected = {m.name for m in members.values() if m is not None}
    for child in sorted(path.iterdir()):
        if child.name.startswith(".") or child.name in expected:
            continue
        sub.notes.append(f"extra_file:{child.name}")
    for sheet, name in zip(SHEETS, CSV_FILES, strict=True):
        member = members[name]
        label = f"{label_prefix}/{member.name if member else name}"
        if member is None:
            sub.rejections.append(
                Problem(
                    f"{label_prefix}/", None, None, None, None, "missing_file", {"file_name": name}
                )
            )
            continue
        _read_csv_file(sub, sheet, label, member)
    return sub


def _read_csv_file(sub: RawSubmission, sheet: str, label: str, member: Path) -> None:
    data = member.read_bytes()
    if not data.strip(b"\xef\xbb\xbf \r\n\t"):
        sub.rejections.append(Problem(label, sheet, None, None, None, "empty_file"))
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        sub.rejections.append(Problem(label, sheet, row, None, None, "encoding"))
        return
    first_line = text.split("\n", 1)[0]
    semis, commas = first_line.count(";"), first_line.count(",")
    if semis == 0 and commas == 0:
        sub.rejections.append(Problem(label, sheet, 1, None, None, "delimiter"))
        return
    delimiter = ";" if semis >= commas else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        sub.rejections.append(
            Problem(label, sheet, None, None, None, "unreadable", {"detail": type(exc).__name__})
        )
        return
    _read_rows(sub, sheet, label, iter(rows), xlsx=False)


# --------------------------------------------------------------------------- shared


def _read_rows(sub: RawSubmission, sheet: str, label: str, rows, *, xlsx: bool) -> None:
    header_cells = next(rows, None)
    header = [normalise_header(_cell_text(c) if xlsx else c) for c in (header_cells or ())]
    if not any(header):
        sub.rejections.append(Problem(label, sheet, 1, None, None, "missing_header"))
        return
    allowed = {col.name for col in COLUMNS[sheet]}
    known: dict[str, int] = {}
    identifier_idx: set[int] = set()
    unnamed: list[int] = []
    for idx, name in enumerate(header):
        if not name:
            unnamed.append(idx)
        elif identifiers.text_is_bsn(name):
            # a header that is itself a BSN: never echoed as a column name
            identifier_idx.add(idx)
            sub.rejections.append(Problem(label, sheet, 1, None, None, "bsn_value"))
        elif identifiers.looks_like_identifier_column(name) and name not in allowed:
            identifier_idx.add(idx)
            sub.rejections.append(
                Problem(label, sheet, 1, name, None, "identifier_column", {"column_name": name})
            )
        elif name not in allowed:
            sub.rejections.append(
                Problem(
                    label,
                    sheet,
                    1,
                    name,
                    None,
                    "unknown_column",
                    {"column_name": name, "allowed": ", ".join(c.name for c in COLUMNS[sheet])},
                )
            )
        elif name in known:
            sub.rejections.append(
                Problem(label, sheet, 1, name, None, "duplicate_column", {"column_name": name})
            )
        else:
            known[name] = idx
    for col in COLUMNS[sheet]:
        if col.name not in known and not col.may_be_omitted:
            sub.rejections.append(
                Problem(
                    label, sheet, 1, col.name, None, "missing_column", {"column_name": col.name}
                )
            )

    width = len(header)
    kept = [i for i in range(width) if i not in identifier_idx]
    columns: dict[int, list[str | None]] = {i: [] for i in kept}
    source_rows: list[int] = []
    appenders = [(i, columns[i].append) for i in kept]
    ragged = 0
    for row_no, cells in enumerate(rows, start=2):
        if xlsx:
            texts = []
            for pos, cell in enumerate(cells):
                if (
                    isinstance(cell, int | float)
                    and not isinstance(cell, bool)
                    and pos not in identifier_idx
                    and float(cell).is_integer()
                    and identifiers.number_is_bsn(int(cell))
                ):
                    name = header[pos] if pos < width else ""
                    sub.bsn_cells.append((sheet, label, row_no, name))
                texts.append(_cell_text(cell))
        else:
            texts = cells
        if not any(t is not None and t.strip() for t in texts):
            continue  # blank row (Excel formatting, trailing newline)
        if len(texts) > width:
            extra = texts[width:]
            if any(t is not None and t.strip() for t in extra):
                ragged += 1
                if xlsx and ragged == 1:
                    sub.rejections.append(
                        Problem(label, sheet, row_no, None, None, "unnamed_column")
                    )
                elif not xlsx and ragged <= MAX_REPEATED:
                    sub.rejections.append(
                        Problem(
                            label,
                            sheet,
                            row_no,
                            None,
                            None,
                            "ragged_row",
                            {"found": len(texts), "expected": width},
                        )
                    )
                continue
            texts = texts[:width]
        elif len(texts) < width:
            texts = list(texts) + [None] * (width - len(texts))
        source_rows.append(row_no)
        for i, append in appenders:
            append(texts[i])
    for idx in unnamed:
        if any(v is not None and v.strip() for v in columns[idx]):
            sub.rejections.append(Problem(label, sheet, 1, None, None, "unnamed_column"))
    sub.sheets[sheet] = RawSheet(sheet, label, header, known, columns, source_rows)
