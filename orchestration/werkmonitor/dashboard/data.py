"""The dashboard's data: the public tier of the published file, compacted.

Only the published file is read (national and region rows; an organisation
row, should an older file still hold one, is dropped), so the dashboard cannot
show a figure the file hides. Every text a reader sees — figures, masks,
changes — is formatted here with :mod:`werkmonitor.formatting` or taken from
the file's ``display_value``; the page's script does no number formatting.

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
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from werkmonitor.formatting import (
    PP_UNIT,
    fmt_count,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_ratio,
    fmt_value,
)

NATIONAL = "NL"
DIMENSIONS = ("trajectory_type", "financing", "ips_scheme", "ips_phase")
REASONS_NL = {
    "small_count": "Niet getoond: minder dan 5 personen, dan zijn mensen herkenbaar.",
    "small_denominator": "Niet getoond: berekend over minder dan 10 personen.",
    "linked": "Niet getoond: afgeleid van een cijfer dat verborgen is.",
    "secondary": "Niet getoond: anders is een verborgen cijfer terug te rekenen uit de totalen.",
    "breakdown_not_published": (
        "Niet getoond: deze uitsplitsing wordt voor deze indicator niet gepubliceerd."
    ),
    "ambition": (
        "Niet getoond: minder dan 5 gestarte trajecten, of af te leiden uit een verborgen cijfer."
    ),
}
FAMILIES_NL = {
    "counts": "Aantallen",
    "outcomes": "Werk",
    "activities": "Activiteiten",
    "outflow": "Uitstroom",
    "first_job": "Tijd tot eerste baan",
    "employment": "Duur dienstverband",
    "duration": "Duur tot einde traject",
    "ratios": "Verhoudingen",
}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _amount(value: Any, kind: str) -> str:
    """A numerator or denominator: whole people, or fte with one decimal."""
    if _missing(value):
        return ""
    return fmt_count(value) if float(value).is_integer() else fmt_number(value, 1)


def change_text(kind: str, change_absolute: Any, change_relative: Any) -> str:
    """The previous-quarter change as the reports write it."""
    if _missing(change_absolute):
        return ""
    if kind == "share":
        return fmt_pp(change_absolute)
    if kind == "ratio":
        return fmt_ratio(change_absolute, sign=True)
    text = fmt_count(change_absolute, sign=True)
    if not _missing(change_relative):
        text += f" ({fmt_pct(change_relative, sign=True)})"
    return text


def _lfl_change(kind: str, current: Any, previous: Any) -> str:
    if _missing(current) or _missing(previous):
        return ""
    relative = None if kind != "count" or previous == 0 else (current - previous) / previous
    return change_text(kind, current - previous, relative)


def _short(change: str) -> str:
    """``+0,9 procentpunt`` → ``+0,9``: the page adds the unit (it is the same
    for every share, and would be a third of the file)."""
    return change.removesuffix(" " + PP_UNIT)


def _visible(row: dict, kind: str) -> list[str | int]:
    shown = lambda v: "" if _missing(v) else fmt_value(v, kind)  # noqa: E731
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
        if _missing(row["like_for_like_organisations"])
        else int(row["like_for_like_organisations"]),
    ]
    while cell and cell[-1] == "":
        cell.pop()
    return cell


def _table(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame | None:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [name]
    ).fetchone()[0]
    return con.execute(f'select * from "{name}"').df() if exists else None


def read_published(path: Path) -> dict[str, pd.DataFrame | None]:
    """The public tables the dashboard shows (read-only connection)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        qi = con.execute(
            "select * from quarterly_indicators where level in ('national', 'region') "
            "order by quarter"
        ).df()
        names = [
            "region_completeness",
            "regional_ambition",
            "cohort_outcomes",
            "publication",
            "dim_indicators",
            "dim_trajectory_types",
            "dim_financing_types",
            "dim_ips_schemes",
            "dim_ips_phases",
            "dim_regions",
        ]
        return {"quarterly_indicators": qi, **{n: _table(con, n) for n in names}}
    finally:
        con.close()
