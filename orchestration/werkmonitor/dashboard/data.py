"""The dashboard's data: the public tier of the published file, compacted.

Only the published file is read (national and region rows; an organisation
row, should an older file still hold one, is dropped), so the dashboard cannot
show a figure the file hides. Every text a reader sees — figures, masks,
changes — is formatted here with :mod:`werkmonitor.formatting` or taken from
the file's ``display_value``; the page's script does no number formatting.

The layout of the page's data: :mod:`werkmonitor.dashboard.cells`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from werkmonitor.charts.published import BREAKDOWNS, PublishedBreakdowns

NATIONAL = "NL"
DIMENSIONS = BREAKDOWNS  # a breakdown is named by its dimension column
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


def _table(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame | None:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [name]
    ).fetchone()[0]
    return con.execute(f'select * from "{name}"').df() if exists else None


# The columns of quarterly_indicators the page shows (the rest stays in the file).
QI_COLUMNS = (
    "quarter", "level", "region_code", *DIMENSIONS, "indicator", "indicator_kind",
    "indicator_label_nl", "is_suppressed", "suppression_reason", "display_value", "numerator",
    "denominator", "previous_value", "change_absolute", "change_relative",
    "like_for_like_value", "like_for_like_previous_value", "like_for_like_organisations",
)  # fmt: skip


def read_published(path: Path) -> dict:
    """The public tables the dashboard shows (read-only connection), and which
    breakdowns the file publishes per level (``published_breakdowns``)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        present = {
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns "
                "where table_name = 'quarterly_indicators'"
            ).fetchall()
        }
        columns = ", ".join(f'"{c}"' for c in QI_COLUMNS if c in present)
        qi = con.execute(
            f"select {columns} from quarterly_indicators "
            "where level in ('national', 'region') order by quarter"
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
        tables = {"quarterly_indicators": qi, **{n: _table(con, n) for n in names}}
        tables["published_breakdowns"] = PublishedBreakdowns.read(con)
        return tables
    finally:
        con.close()
