"""The one xlsx writer (XlsxWriter): the demo landing zone and the tests' fixture workbooks.

Workbooks as Excel saves them (dates as serial numbers with a date format,
numbers as numbers, text as text, booleans as booleans), several sheets of
plain rows, and reproducible: the document time is fixed, so the same seed
gives the same bytes.

Two dialects, because real submissions come from more than one producer and
the loader must read both (python-calamine is the one reader):

* ``"streamed"`` (default): ``constant_memory`` streams each row to disk,
  strings inline (``t="inlineStr"``), dates in built-in format 14;
* ``"shared"``: strings in the shared-string table (``xl/sharedStrings.xml``,
  what Excel itself writes) and dates in a custom ``yyyy-mm-dd`` format; the
  whole workbook is held in memory, so only small files use it.

An all-empty row is written as nothing, i.e. a blank row in Excel, which the
tests use for the loader's blank-row handling.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

_FIXED_TIME = datetime(2025, 1, 1, 0, 0, 0)
DIALECTS = ("streamed", "shared")


def write_xlsx(
    path: Path, sheets: Sequence[tuple[str, Iterable[Sequence]]], dialect: str = "streamed"
) -> None:
    """Write ``sheets`` (name, rows) to ``path``; ``None``/``""`` cells are left out."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown xlsx dialect {dialect!r}; expected one of {DIALECTS}")
    streamed = dialect == "streamed"
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": streamed, "strings_to_urls": False, "in_memory": False}
    )
    workbook.set_properties({"creator": "werkmonitor demo", "created": _FIXED_TIME})
    # 14 = dd-mm-yyyy in a Dutch Excel; the custom format is what openpyxl-like producers write
    date_format = workbook.add_format({"num_format": 14 if streamed else "yyyy-mm-dd"})
    for name, rows in sheets:
        worksheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _write_cell(worksheet, r, c, value, date_format)
    workbook.close()


def _write_cell(worksheet, r: int, c: int, value, date_format) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        worksheet.write_string(r, c, value)
    elif isinstance(value, bool):
        worksheet.write_boolean(r, c, value)
    elif isinstance(value, datetime):  # a time of day is kept (the loader must see it)
        worksheet.write_datetime(r, c, value, date_format)
    elif isinstance(value, date):
        worksheet.write_datetime(r, c, datetime(value.year, value.month, value.day), date_format)
    else:
        worksheet.write_number(r, c, value)
