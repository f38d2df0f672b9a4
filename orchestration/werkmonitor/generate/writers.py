"""Writing one submission: a CSV folder, our own fast xlsx writer, or openpyxl (ORG29)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from werkmonitor.generate.formats import _fmt_num, _Style, _Submission
from werkmonitor.generate.model import (
    _FIXED_TIME,
    _XLSX_AT_SCALE,
    _ZIP_TIME,
    BAAN_COLUMNS,
    ORG_COLUMNS,
    TRAJECT_COLUMNS,
)

# --------------------------------------------------------------------------- writers


def _write_csv(path: Path, header: list[str], rows, style: _Style, order: list[int] | None):
    with open(path, "w", encoding="utf-8-sig" if style.bom else "utf-8", newline="") as handle:
        writer = csv.writer(
            handle, delimiter=style.delimiter, lineterminator="\r\n" if style.dutch else "\n"
        )
        if order is None:
            writer.writerow(header)
            writer.writerows(rows)
        else:
            writer.writerow([header[i] for i in order])
            writer.writerows([row[i] for i in order] for row in rows)


def _write_submission(
    base: Path,
    sub: _Submission,
    org: str,
    quarter: str,
    style: _Style,
    extra_column: str | None = None,
) -> Path:
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
        if org == _XLSX_AT_SCALE:
            _write_xlsx_openpyxl(path, sub, org_row, order, header)
        else:
            _write_xlsx_fast(path, sub, org_row, order, header)
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


def _write_xlsx_fast(path: Path, sub: _Submission, org_row, order, header) -> None:
    from werkmonitor.demo.xlsx import write_xlsx

    write_xlsx(
        path,
        [
            ("trajecten", _ordered(header, sub.trajecten, order)),
            ("banen", _ordered(BAAN_COLUMNS, sub.banen, None)),
            ("organisatie", _ordered(ORG_COLUMNS, org_row, None)),
        ],
    )


def _write_xlsx_openpyxl(path: Path, sub: _Submission, org_row, order, header) -> None:
    """One organisation's files come from openpyxl, as a second producer's dialect."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = "werkmonitor demo"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    sheets = [
        ("trajecten", header, sub.trajecten, order),
        ("banen", BAAN_COLUMNS, sub.banen, None),
        ("organisatie", ORG_COLUMNS, org_row, None),
    ]
    for name, header, rows, ordering in sheets:
        ws = wb.create_sheet(name)
        if ordering is None:
            ws.append(header)
            for row in rows:
                ws.append([None if v == "" else v for v in row])
        else:
            ws.append([header[i] for i in ordering])
            for row in rows:
                ws.append([None if row[i] == "" else row[i] for i in ordering])
    buffer = io.BytesIO()
    wb.save(buffer)
    _write_reproducible_zip(buffer.getvalue(), path)


def _write_reproducible_zip(data: bytes, path: Path) -> None:
    """Rewrite the xlsx with fixed zip timestamps and modified time: same seed, same bytes."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    content,
                )
            target.writestr(
                zipfile.ZipInfo(info.filename, _ZIP_TIME), content, zipfile.ZIP_DEFLATED
            )
