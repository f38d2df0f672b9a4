"""The loader's view of the submission format: derived from the catalogue.

Nothing is written here: sheets, columns, kinds, bounds and code lists come
from ``werkmonitor.catalogue`` (``submission_format.yml`` and the seeds), so a
column added there reaches the reader, the rules and the raw tables at once.
"""

from __future__ import annotations

from werkmonitor.catalogue import Column, submission_format

ColumnSpec = Column  # the name the loader's tests know

SHEETS: tuple[str, ...] = tuple(submission_format().sheets)

COLUMNS: dict[str, tuple[Column, ...]] = {
    name: sheet.columns for name, sheet in submission_format().sheets.items()
}


def column_names(sheet: str) -> tuple[str, ...]:
    return tuple(col.name for col in COLUMNS[sheet])


def normalise_header(name: object) -> str:
    """Header as compared: case-insensitive, surrounding spaces ignored."""
    return "" if name is None else str(name).strip().lower()
