"""One cell of the published file as the page shows it.

Layout (``DATA`` in ``data.js``), chosen to stay small for 11 quarters:

- ``cells[indicator][place][breakdown]``: one entry per published quarter,
  ``null`` when the file has no row (no trajectories in that breakdown), an
  integer index into ``hidden`` (mask and reason) for a suppressed cell, or a
  list ``[display, numerator, denominator, previous, change, lfl, lfl_previous,
  lfl_change, lfl_organisations]`` of texts (trailing empties dropped; a
  share's changes without their unit ``procentpunt``);
- ``place`` is ``NL`` (landelijk) or a region code; ``breakdown`` an index
  into ``breakdowns`` (trajectory type, financing, IPS scheme, IPS phase).
  The page loads one indicator's cells at a time (``data/indicators/<code>.js``),
  so the first view reads a tenth of the data.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from werkmonitor.charts.published import reason_text
from werkmonitor.dashboard.data import DIMENSIONS, NATIONAL
from werkmonitor.formatting import (
    PP_UNIT,
    fmt_count,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_ratio,
    fmt_value,
)


def missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _amount(value: Any, kind: str) -> str:
    """A numerator or denominator: whole people, or fte with one decimal."""
    if missing(value):
        return ""
    return fmt_count(value) if float(value).is_integer() else fmt_number(value, 1)


def change_text(kind: str, change_absolute: Any, change_relative: Any) -> str:
    """The previous-quarter change as the reports write it."""
    if missing(change_absolute):
        return ""
    if kind == "share":
        return fmt_pp(change_absolute)
    if kind == "ratio":
        return fmt_ratio(change_absolute, sign=True)
    text = fmt_count(change_absolute, sign=True)
    if not missing(change_relative):
        text += f" ({fmt_pct(change_relative, sign=True)})"
    return text


def _lfl_change(kind: str, current: Any, previous: Any) -> str:
    if missing(current) or missing(previous):
        return ""
    relative = None if kind != "count" or previous == 0 else (current - previous) / previous
    return change_text(kind, current - previous, relative)


def _short(change: str) -> str:
    """``+0,9 procentpunt`` → ``+0,9``: the page adds the unit (it is the same
    for every share, and would be a third of the file)."""
    return change.removesuffix(" " + PP_UNIT)


def _visible(row: dict, kind: str) -> list[str | int]:
    shown = lambda v: "" if missing(v) else fmt_value(v, kind)  # noqa: E731
    cell: list[str | int] = [
        row["display_value"] or "",
        "" if kind == "count" else _amount(row["numerator"], kind),
        "" if kind == "count" else _amount(row["denominator"], kind),
        shown(row["previous_value"]),
        _short(change_text(kind, row["change_absolute"], row["change_relative"])),
        shown(row["like_for_like_value"]),
        shown(row["like_for_like_previous_value"]),
        _short(_lfl_change(kind, row["like_for_like_value"], row["like_for_like_previous_value"])),
        ""
        if missing(row["like_for_like_organisations"])
        else int(row["like_for_like_organisations"]),
    ]
    while cell and cell[-1] == "":
        cell.pop()
    return cell


CELL_COLUMNS = [
    "quarter",
    "level",
    "region_code",
    *DIMENSIONS,
    "indicator",
    "is_suppressed",
    "suppression_reason",
    "display_value",
    "numerator",
    "denominator",
    "previous_value",
    "change_absolute",
    "change_relative",
    "like_for_like_value",
    "like_for_like_previous_value",
    "like_for_like_organisations",
]


def compact_cells(qi: pd.DataFrame, quarters: list[str], kinds: dict[str, str]):
    breakdowns: dict[tuple, int] = {}
    hidden: dict[tuple, int] = {}
    cells: dict[str, dict[str, dict[str, list]]] = {}
    qindex = {q: i for i, q in enumerate(quarters)}
    columns = [c for c in CELL_COLUMNS if c in qi.columns]
    # Plain tuples: DataFrame.to_dict boxes every value and dominated the build.
    frame = qi[columns].astype(object).where(qi[columns].notna(), None)
    at = {c: i for i, c in enumerate(columns)}
    dims = [at[d] for d in DIMENSIONS]
    q, lv, reg, ind = at["quarter"], at["level"], at["region_code"], at["indicator"]
    sup, disp, why = at["is_suppressed"], at["display_value"], at["suppression_reason"]
    width = len(quarters)
    # By position: most rows are hidden and need four fields, not a dict of all.
    for values in frame.itertuples(index=False, name=None):
        key = tuple([values[i] for i in dims])
        b = breakdowns.get(key)
        if b is None:
            b = breakdowns[key] = len(breakdowns)
        place = NATIONAL if values[lv] == "national" else values[reg]
        by_place = cells.setdefault(values[ind], {}).setdefault(place, {})
        slots = by_place.get(str(b)) or by_place.setdefault(str(b), [None] * width)
        if values[sup]:
            mask = (values[disp] or "x", values[why] or "")
            slots[qindex[values[q]]] = hidden.setdefault(mask, len(hidden))
        else:
            row = dict(zip(columns, values, strict=True))
            slots[qindex[values[q]]] = _visible(row, kinds[values[ind]])
    return (
        [list(k) for k in breakdowns],
        [[mask, reason, reason_text(reason)] for mask, reason in hidden],
        cells,
    )
