"""Writing one submission: a CSV folder or an xlsx workbook (``werkmonitor.demo.xlsx``).

``ORG29``'s workbooks use the writer's second dialect (shared strings, a custom
date format), so the loader always meets two producers' files.
"""

from __future__ import annotations

import csv
from pathlib import Path

from werkmonitor.demo.xlsx import write_xlsx
from werkmonitor.generate.formats import _fmt_num, _Style, _Submission
from werkmonitor.generate.model import (
    _XLSX_AT_SCALE,
    BAAN_COLUMNS,
    ORG_COLUMNS,
    TRAJECT_COLUMNS,
)

# --------------------------------------------------------------------------- writers


def _write_csv(path: Path, header: list[str], rows, style: _Style, order: list[int] | None):
    with open(path, "w", encoding="utf-8-sig" if style.bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=style.delimiter, lineterminator="\r\n"
                            if style.dutch else "\n")
        if order is None:
            writer.writerow(header)
            writer.writerows(rows)
        else:
            writer.writerow([header[i] for i in order])
            writer.writerows([row[i] for i in order] for row in rows)


def _write_submission(base: Path, sub: _Submission, org: str, quarter: str, style: _Style,
                      extra_column: str | None = None) -> Path:
    """Write one submission; ``extra_column`` is a last trajecten column the rows already hold."""
    header = [*TRAJECT_COLUMNS, extra_column] if extra_column else TRAJECT_COLUMNS
    order = None
    if style.column_order and list(style.column_order) != TRAJECT_COLUMNS:
        order = [TRAJECT_COLUMNS.index(c) for c in style.column_order]
    if extra_column:
        order = [*(order or range(len(TRAJECT_COLUMNS))), len(TRAJECT_COLUMNS)]
    fte = "" if sub.fte is None else _fmt_num(sub.fte, style)
    org_row = [[org, quarter, fte]]
    if style.xlsx:
        path = base.with_name(base.name + ".xlsx")
        # one organisation's files in the second dialect (shared strings), as a second producer
        dialect = "shared" if org == _XLSX_AT_SCALE else "streamed"
        _write_xlsx(path, sub, org_row, order, header, dialect)
        return path
    base.mkdir(parents=True, exist_ok=True)
    _write_csv(base / "trajecten.csv", header, sub.trajecten, style, order)
    _write_csv(base / "banen.csv", BAAN_COLUMNS, sub.banen, style, None)
    _write_csv(base / "organisatie.csv", ORG_COLUMNS, org_row, style, None)
    return base


def _ordered(header: list[str], rows: list[list], order: list[int] | None):
    if order is None:
        yield header
        yield from rows
    else:
        yield [header[i] for i in order]
        for row in rows:
            yield [row[i] for i in order]


def _write_xlsx(path: Path, sub: _Submission, org_row, order, header, dialect: str) -> None:
    write_xlsx(path, [
        ("trajecten", _ordered(header, sub.trajecten, order)),
        ("banen", _ordered(BAAN_COLUMNS, sub.banen, None)),
        ("organisatie", _ordered(ORG_COLUMNS, org_row, None)),
    ], dialect=dialect)
