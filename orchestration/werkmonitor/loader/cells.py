"""Cells as delivered, column by column, as text: what every later step reads.

Why text: CSV is text and an Excel cell may be typed or text, so reducing both
to the text a person would have typed (a date cell becomes ``2024-07-01``, a
number ``12.5``, a boolean ``true``) lets one set of SQL normalisers serve
both formats, and a message can always quote the value as delivered.
Conversion is per column and per Python type, never a Python loop per cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class SheetCells:
    """One sheet (or CSV file) read: header cells and the text columns below it."""

    name: str  # sheet name as compared (lower-case), or the CSV file's sheet
    label: str  # file as shown in messages
    header: list[str]  # normalised header cells (lower-case, trimmed), trailing empties dropped
    columns: list[pa.Array]  # one string array per header position, plus any ragged extras
    source_rows: pa.Array  # int32 row number of each data row (header = 1)
    lengths: pa.Array | None = None  # CSV: number of fields of each record (ragged rows)

    @property
    def n_rows(self) -> int:
        return len(self.source_rows)


def _floats(values: np.ndarray) -> np.ndarray:
    numbers = values.astype(np.float64)
    out = np.empty(len(values), dtype=object)
    whole = np.isfinite(numbers) & (numbers == np.floor(numbers)) & (np.abs(numbers) < 1e15)
    out[whole] = pc.cast(pa.array(numbers[whole].astype(np.int64)), pa.string()).to_numpy(
        zero_copy_only=False
    )
    out[~whole] = list(map(repr, numbers[~whole].tolist()))
    return out


def _dates(values: np.ndarray) -> np.ndarray:
    days = pa.array(values.tolist(), pa.date32())
    return pc.cast(days, pa.string()).to_numpy(zero_copy_only=False)


def _datetimes(values: np.ndarray) -> np.ndarray:
    stamps = pa.array(values.tolist(), pa.timestamp("us"))
    days = pc.cast(stamps, pa.date32())
    midnight = pc.equal(pc.cast(days, pa.timestamp("us")), stamps)
    text = pc.if_else(
        midnight,
        pc.cast(days, pa.string()),
        pc.strftime(pc.cast(stamps, pa.timestamp("s"), safe=False), "%Y-%m-%d %H:%M:%S"),
    )
    return text.to_numpy(zero_copy_only=False)


def _bools(values: np.ndarray) -> np.ndarray:
    return np.where(values.astype(bool), "true", "false").astype(object)


_CONVERT = {float: _floats, int: _floats, dt.date: _dates, dt.datetime: _datetimes, bool: _bools}


def text_column(values: tuple | list) -> pa.Array:
    """Delivered cells of one column as a string array; empty text stays ``''`` (blank later)."""
    types = set(map(type, values))
    if types <= {str, type(None)}:
        return pa.array(values, pa.string())
    cells = np.array(values, dtype=object)
    kinds = np.array(list(map(type, values)), dtype=object)
    out = np.empty(len(values), dtype=object)
    for kind in types:
        mask = kinds == kind
        if kind is str or kind is type(None):
            out[mask] = cells[mask]
        else:
            convert = _CONVERT.get(kind)
            out[mask] = convert(cells[mask]) if convert else list(map(str, cells[mask]))
    return pa.array(out, pa.string())
