"""The demo landing zone's xlsx writer: XlsxWriter, the one xlsx writer.

Workbooks as Excel saves them (dates as serial numbers with the built-in
date format 14, numbers as numbers, text as text), several sheets of plain
rows, and reproducible: the document and zip timestamps are fixed, so the
same seed gives the same bytes. ``constant_memory`` streams each row to disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

_FIXED_TIME = datetime(2025, 1, 1, 0, 0, 0)


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Iterable[Sequence]]]) -> None:
    """Write ``sheets`` (name, rows) to ``path``; ``None``/``""`` cells are left out."""
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_urls": False, "in_memory": False}
    )
    workbook.set_properties({"creator": "werkmonitor demo", "created": _FIXED_TIME})
    date_format = workbook.add_format({"num_format": 14})  # dd-mm-yyyy in a Dutch Excel
    for name, rows in sheets:
        worksheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    worksheet.write_string(r, c, value)
                elif isinstance(value, bool):
                    worksheet.write_boolean(r, c, value)
                elif isinstance(value, datetime | date):
                    day = value.date() if isinstance(value, datetime) else value
                    midnight = datetime(day.year, day.month, day.day)
                    worksheet.write_datetime(r, c, midnight, date_format)
                else:
                    worksheet.write_number(r, c, value)
    workbook.close()
