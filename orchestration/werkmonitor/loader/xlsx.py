"""A lean streaming xlsx reader: cell values per row, as openpyxl's read-only mode gives them.

openpyxl builds objects per cell and, without a ``<dimension>`` element,
scans each sheet twice; for quarterly files of many thousands of rows that
dominated the load. This reads the sheet XML once with expat
(``ElementTree.iterparse``) and resolves shared strings and date styles itself,
reusing openpyxl's number-format tables so that "is this a date cell"
is decided the same way. The loader falls back to openpyxl when this
reader fails on an unusual workbook.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_COL_RE = re.compile(r"^([A-Z]+)")


def _col_index(ref: str) -> int:
    letters = _COL_RE.match(ref).group(1)
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _text(elem) -> str:
    """Text of a shared/inline string: its <t> runs, without phonetic (<rPh>) runs."""
    parts = []
    for child in elem:
        if child.tag == _NS + "t":
            parts.append(child.text or "")
        elif child.tag == _NS + "r":
            for sub in child:
                if sub.tag == _NS + "t":
                    parts.append(sub.text or "")
    return "".join(parts)


class Workbook:
    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)
        names = set(self.zip.namelist())
        workbook_xml = "xl/workbook.xml"
        rels = self._rels("xl/_rels/workbook.xml.rels")
        self.sheets: dict[str, str] = {}
        self.epoch = CALENDAR_WINDOWS_1900
        for _, elem in iterparse(self.zip.open(workbook_xml)):
            if elem.tag == _NS + "workbookPr" and elem.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            if elem.tag == _NS + "sheet":
                target = rels[elem.get(_REL_NS + "id")]
                target = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
                self.sheets[elem.get("name")] = target
        self.shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            for _, elem in iterparse(self.zip.open("xl/sharedStrings.xml")):
                if elem.tag == _NS + "si":
                    self.shared.append(_text(elem))
                    elem.clear()
        self.date_styles: set[int] = set()
        if "xl/styles.xml" in names:
            self._read_styles()

    def _rels(self, name: str) -> dict[str, str]:
        return {
            elem.get("Id"): elem.get("Target")
            for _, elem in iterparse(self.zip.open(name))
            if elem.tag == _PKG_REL + "Relationship"
        }

    def _read_styles(self) -> None:
        custom: dict[int, str] = {}
        xfs: list[int] = []
        in_cell_xfs = False
        for event, elem in iterparse(self.zip.open("xl/styles.xml"), events=("start", "end")):
            if elem.tag == _NS + "numFmt" and event == "end":
                custom[int(elem.get("numFmtId"))] = elem.get("formatCode") or ""
            elif elem.tag == _NS + "cellXfs":
                in_cell_xfs = event == "start"
            elif elem.tag == _NS + "xf" and event == "start" and in_cell_xfs:
                xfs.append(int(elem.get("numFmtId") or 0))
        for index, fmt_id in enumerate(xfs):
            fmt = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
            if fmt and is_date_format(fmt):
                self.date_styles.add(index)

    def rows(self, sheet_name: str) -> Iterator[tuple]:
        """Rows from row 1 on, gaps filled with empty tuples, cells as Python values."""
        shared, date_styles, epoch = self.shared, self.date_styles, self.epoch
        expected = 1
        c_tag, row_tag, v_tag, is_tag = _NS + "c", _NS + "row", _NS + "v", _NS + "is"
        for _, elem in iterparse(self.zip.open(self.sheets[sheet_name])):
            if elem.tag != row_tag:
                continue
            number = int(elem.get("r") or expected)
            while expected < number:
                yield ()
                expected += 1
            cells: list = []
            for cell in elem.iter(c_tag):
                ref = cell.get("r")
                pos = _col_index(ref) if ref else len(cells)
                if pos > len(cells):
                    cells.extend([None] * (pos - len(cells)))
                kind = cell.get("t", "n")
                v = cell.find(v_tag)
                raw = v.text if v is not None else None
                if kind == "s":
                    value = shared[int(raw)] if raw is not None else None
                elif kind == "inlineStr":
                    inline = cell.find(is_tag)
                    value = _text(inline) if inline is not None else None
                elif raw is None:
                    value = None
                elif kind == "b":
                    value = raw.strip() in ("1", "true")
                elif kind in ("str", "e", "d"):
                    value = raw
                else:
                    number_value = float(raw)
                    if int(cell.get("s") or 0) in date_styles:
                        value = from_excel(number_value, epoch)
                    elif number_value.is_integer() and "." not in raw and "E" not in raw.upper():
                        value = int(raw)
                    else:
                        value = number_value
                cells.append(value)
            elem.clear()
            yield tuple(cells)
            expected = number + 1

    def close(self) -> None:
        self.zip.close()
