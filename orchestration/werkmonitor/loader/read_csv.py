"""CSV files: UTF-8 (BOM or not), ``;`` or ``,`` detected from the header, all text.

pyarrow's reader parses a regular file (every record as wide as the header);
a file with a blank, short or long record is parsed again with Python's C
``csv`` module, which keeps those records, so the row numbers a data officer
is pointed to are the file's own (DuckDB's ``read_csv`` skips blank lines).
"""

from __future__ import annotations

import csv
import io
from itertools import zip_longest
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv

from werkmonitor.loader.cells import SheetCells
from werkmonitor.loader.problem import Problem


def read_csv_file(
    path: Path, sheet: str | None, label: str, *, lenient: bool = False
) -> tuple[SheetCells | None, Problem | None]:
    """One CSV file as text columns, or the reason it cannot be read.

    ``lenient`` (an extra file, scanned for identifiers only) reads whatever
    can be read: bad bytes are replaced and a missing delimiter means one column.
    """
    data = path.read_bytes()
    if not data.strip(b"\xef\xbb\xbf \r\n\t"):
        return None, Problem(label, sheet, None, None, None, "empty_file")
    try:
        text = data.decode("utf-8-sig", errors="replace" if lenient else "strict")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        return None, Problem(label, sheet, row, None, None, "encoding")
    first_line = text.split("\n", 1)[0]
    semis, commas = first_line.count(";"), first_line.count(",")
    if semis == 0 and commas == 0 and not lenient:
        return None, Problem(label, sheet, 1, None, None, "delimiter")
    delimiter = ";" if semis >= commas else ","
    table = _regular(data, delimiter)
    if table is not None:
        header = [(c or "").strip().lower() for c in table.slice(0, 1).to_pylist()[0].values()]
        columns = [table.column(i).combine_chunks()[1:] for i in range(table.num_columns)]
        n = max(table.num_rows - 1, 0)
        lengths = pa.nulls(n, pa.int32())  # a regular file has no ragged record
    else:
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            detail = {"detail": type(exc).__name__}
            return None, Problem(label, sheet, None, None, None, "unreadable", detail)
        header = [c.strip().lower() for c in (records[0] if records else [])]
        body = records[1:]
        n = len(body)
        columns = [pa.array(col, pa.string()) for col in zip_longest(*body)]
        if not body:
            columns = [pa.array([], pa.string()) for _ in header]
        lengths = pa.array(list(map(len, body)), pa.int32())
    rows = pa.array(range(2, n + 2), pa.int32())
    return SheetCells(sheet or path.name, label, header, columns, rows, lengths), None


def _regular(data: bytes, delimiter: str) -> pa.Table | None:
    """All records as text when every one has the header's width; else None."""
    irregular: list[int] = []

    def note(row) -> str:
        irregular.append(1)
        return "skip"

    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, use_threads=False),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=note,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={
                    f"f{i}": pa.string() for i in range(2 * _header_width(data, delimiter) + 64)
                },
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    return None if irregular or table.num_rows == 0 else table


def _header_width(data: bytes, delimiter: str) -> int:
    return data.split(b"\n", 1)[0].count(delimiter.encode()) + 1
