"""The submission format as suite parameters: raw columns, their types, value bounds.

The format is written once, in the loader's catalogue
(``werkmonitor.catalogue.format``: ``submission_format()`` and ``raw_ddl()``).
The raw suites must hold the warehouse to the same columns and bounds the
loader applies, so they take them from here as ``{$PARAMETER: ...}`` values
instead of repeating them:

* ``raw_<table>_columns`` / ``raw_<table>_column_types`` (``"name TYPE"``):
  what ``raw_ddl()`` creates, read back from DuckDB's information_schema so
  the type names are exactly the ones the schema frame sees;
* ``<sheet>_<column>_min`` / ``_max`` / ``_max_length`` for every column with
  a bound (``tests/test_quality_format.py`` fails when a catalogue bound has
  no gate or a gate a literal bound).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import duckdb

from werkmonitor.catalogue.format import raw_ddl, submission_format

RAW_TABLES = ("raw.trajecten", "raw.banen", "raw.organisatie")
BOUNDS = ("min", "max", "max_length")


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw; create schema if not exists audit;")
    con.execute(raw_ddl())


def format_columns() -> dict[str, list[dict[str, Any]]]:
    """Sheet → its columns as ``{name, min, max, max_length}`` from the catalogue."""
    return {
        name: [{"name": c.name, **{bound: getattr(c, bound) for bound in BOUNDS}}
               for c in sheet.columns]
        for name, sheet in submission_format().sheets.items()
    }


@cache
def raw_column_types() -> dict[str, tuple[str, ...]]:
    """Raw table → ``"column TYPE"`` in table order, as the catalogue's DDL creates them."""
    con = duckdb.connect()
    try:
        create_raw_tables(con)
        rows = con.execute(
            """
            select table_schema || '.' || table_name, column_name || ' ' || upper(data_type)
            from information_schema.columns
            where table_schema = 'raw'
            order by table_name, ordinal_position
            """
        ).fetchall()
    finally:
        con.close()
    out: dict[str, list[str]] = {}
    for table, column_type in rows:
        out.setdefault(table, []).append(column_type)
    return {table: tuple(out.get(table, ())) for table in RAW_TABLES}


def format_parameters() -> dict[str, Any]:
    """Every suite parameter that comes from the submission format."""
    params: dict[str, Any] = {}
    for table, column_types in raw_column_types().items():
        key = table.replace(".", "_")
        params[f"{key}_columns"] = [ct.split(" ", 1)[0] for ct in column_types]
        params[f"{key}_column_types"] = list(column_types)
    for sheet, columns in format_columns().items():
        for column in columns:
            for bound in BOUNDS:
                if column[bound] is not None:
                    params[f"{sheet}_{column['name']}_{bound}"] = column[bound]
    return params
