"""Hand-made submissions for tests: a valid baseline that each test bends.

Rows are dicts (column → value). For xlsx the values are written as given, so
a ``datetime.date`` becomes a typed date cell, a float a number cell and a
bool a boolean cell; for CSV every value is written with ``str`` (dates in
ISO form). Column order is the order of the first row's keys unless
``columns`` says otherwise (a column listed there but missing from a row is
written empty).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from werkmonitor.loader.spec import COLUMNS, column_names
from werkmonitor.quarters import Quarter
from werkmonitor.reference import Organisation

QUARTER = "2024Q3"
ORG = "ORG07"

# A valid BSN (passes the eleven-test) that must never show up anywhere.
VALID_BSN = "111222333"
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
assert sum(int(d) * w for d, w in zip(VALID_BSN, _WEIGHTS, strict=True)) % 11 == 0


def register() -> dict[str, Organisation]:
    """A small organisation register: ORG07 active, ORG08 left in 2023Q4."""
    return {
        "ORG07": Organisation("ORG07", "GGZ Test", "GGZ_INSTELLING", Quarter.parse("2022Q4"), None),
        "ORG09": Organisation("ORG09", "GGZ Negen", "RIBW", Quarter.parse("2022Q4"), None),
        "ORG08": Organisation(
            "ORG08", "GGZ Weg", "OVERIG", Quarter.parse("2022Q4"), Quarter.parse("2023Q4")
        ),
    }


def trajecten_rows() -> list[dict]:
    """Three valid trajectories in 2024Q3: IPS running, WABZ ended with a job, jobcoaching."""
    return [
        {
            "traject_id": "T001",
            "arbeidsmarktregio": "AM18",
            "trajecttype": "IPS",
            "ips_regeling": "EPA",
            "fase": "GOEDGEKEURD",
            "financiering": "UWV",
            "financiering_detail": "",
            "startdatum": "2024-01-15",
            "einddatum": "",
            "uitstroomreden": "",
            "opleiding": "nee",
            "proefplaatsing": "ja",
            "vrijwilligerswerk": "nee",
            "dagbesteding": "nee",
        },
        {
            "traject_id": "T002",
            "arbeidsmarktregio": "AM22",
            "trajecttype": "WABZ",
            "ips_regeling": "",
            "fase": "",
            "financiering": "OVERIG",
            "financiering_detail": "ZPM",
            "startdatum": "2024-08-01",
            "einddatum": "2024-09-15",
            "uitstroomreden": "BAAN",
            "opleiding": "ja",
            "proefplaatsing": "nee",
            "vrijwilligerswerk": "nee",
            "dagbesteding": "nee",
        },
        {
            "traject_id": "T003",
            "arbeidsmarktregio": "AM01",
            "trajecttype": "JOBCOACHING",
            "ips_regeling": "",
            "fase": "",
            "financiering": "GEMEENTE",
            "financiering_detail": "",
            "startdatum": "2023-11-01",
            "einddatum": "",
            "uitstroomreden": "",
            "opleiding": "nee",
            "proefplaatsing": "nee",
            "vrijwilligerswerk": "ja",
            "dagbesteding": "nee",
        },
    ]


def banen_rows() -> list[dict]:
    return [
        {
            "traject_id": "T002",
            "baan_nr": "1",
            "startdatum": "2024-09-01",
            "einddatum": "",
            "uren_per_week": "20",
            "loonwaarde_pct": "100",
            "contractduur_maanden": "6",
            "contractsoort": "LOONDIENST",
        },
        {
            "traject_id": "T003",
            "baan_nr": "1",
            "startdatum": "2022-05-01",
            "einddatum": "2024-02-29",
            "uren_per_week": "12.5",
            "loonwaarde_pct": "",
            "contractduur_maanden": "",
            "contractsoort": "UITZEND",
        },
        {
            "traject_id": "T003",
            "baan_nr": "2",
            "startdatum": "2024-03-01",
            "einddatum": "",
            "uren_per_week": "16",
            "loonwaarde_pct": "60",
            "contractduur_maanden": "12",
            "contractsoort": "LOONDIENST",
        },
    ]


def organisatie_rows(org: str = ORG, quarter: str = QUARTER, fte: object = "2.5") -> list[dict]:
    return [{"organisatie_code": org, "kwartaal": quarter, "fte_trajectbegeleiding": fte}]


def _header(rows: list[dict], columns: list[str] | None, sheet: str | None = None) -> list[str]:
    """Explicit columns, else the first row's keys, else (no rows) the sheet's spec columns."""
    if columns is not None:
        return list(columns)
    if rows:
        return list(rows[0])
    return list(column_names(sheet)) if sheet in COLUMNS else []


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def write_xlsx(
    path: Path,
    sheets: dict[str, list[dict]],
    columns: dict[str, list[str]] | None = None,
    sheet_names: dict[str, str] | None = None,
) -> Path:
    """The workbook through the product's one xlsx writer (shared strings, as Excel saves).

    A row ``{}`` is a blank row.
    """
    from werkmonitor.demo.xlsx import write_xlsx as write_workbook

    workbook = []
    for sheet, rows in sheets.items():
        header = _header(rows, (columns or {}).get(sheet), sheet)
        body = [[row.get(col) for col in header] for row in rows]
        workbook.append(((sheet_names or {}).get(sheet, sheet), [header, *body] if header else []))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(path, workbook, dialect="shared")
    return path


def csv_bytes(
    rows: list[dict],
    columns: list[str] | None = None,
    delimiter: str = ";",
    bom: bool = False,
    encoding: str = "utf-8",
    sheet: str | None = None,
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    header = _header(rows, columns, sheet)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell_text(row.get(col)) for col in header])
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_csv_folder(
    path: Path,
    sheets: dict[str, list[dict]],
    columns: dict[str, list[str]] | None = None,
    delimiter: str = ";",
    bom: bool = False,
    encoding: str = "utf-8",
) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for sheet, rows in sheets.items():
        (path / f"{sheet}.csv").write_bytes(
            csv_bytes(rows, (columns or {}).get(sheet), delimiter, bom, encoding, sheet)
        )
    return path


def make_submission(
    raw_dir: Path,
    *,
    org: str = ORG,
    quarter: str = QUARTER,
    folder: str | None = None,
    suffix: str | None = None,
    fmt: str = "xlsx",
    trajecten: list[dict] | None = None,
    banen: list[dict] | None = None,
    organisatie: list[dict] | None = None,
    drop_sheets: tuple[str, ...] = (),
    columns: dict[str, list[str]] | None = None,
    **options,
) -> Path:
    """Write one submission into ``raw_dir/<folder or quarter>/`` and return its path."""
    sheets = {
        "trajecten": trajecten_rows() if trajecten is None else trajecten,
        "banen": banen_rows() if banen is None else banen,
        "organisatie": organisatie_rows(org, quarter) if organisatie is None else organisatie,
    }
    for sheet in drop_sheets:
        sheets.pop(sheet)
    name = f"{org}_{quarter}" + (f"_{suffix}" if suffix else "")
    base = raw_dir / (folder or quarter)
    if fmt == "xlsx":
        return write_xlsx(base / f"{name}.xlsx", sheets, columns, options.get("sheet_names"))
    return write_csv_folder(base / name, sheets, columns, **options)


def tree_snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under root with its bytes (None for folders), to assert nothing changed."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


TODAY = dt.date(2026, 11, 24)


def check(path: Path, raw_dir: Path | None = None):
    """check_submission against the test register."""
    from werkmonitor.loader import check_submission

    return check_submission(
        path,
        raw_dir if raw_dir is not None else path.parents[1],
        organisations=register(),
        today=TODAY,
    )


def load(raw_dir: Path, warehouse: Path, quarter: str = QUARTER):
    from werkmonitor.loader import load_quarter

    return load_quarter(quarter, raw_dir, warehouse, organisations=register(), today=TODAY)


def rules(problems) -> list[tuple]:
    """(sheet, source_row, column, rule_code) of each problem, for compact assertions."""
    return sorted((p.sheet, p.source_row, p.column, p.rule_code) for p in problems)
