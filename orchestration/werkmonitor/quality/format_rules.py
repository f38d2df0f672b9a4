"""The submission format as suite parameters: raw columns, their types, value bounds.

The format is written once, in the loader's catalogue
(``werkmonitor.catalogue.format``: ``submission_format()`` and ``raw_ddl()``,
contract 1 in the round's COMMON.md). The raw suites must hold the warehouse to
the same columns and bounds the loader applies, so they take them from here as
``{$PARAMETER: ...}`` values instead of repeating them:

* ``raw_<table>_columns`` / ``raw_<table>_column_types`` (``"name TYPE"``):
  what ``raw_ddl()`` creates, read back from DuckDB's information_schema so
  the type names are exactly the ones the schema frame sees;
* ``<sheet>_<column>_min`` / ``_max`` / ``_max_length`` for every column with
  a bound (``tests/test_quality_format.py`` fails when a catalogue bound has
  no gate or a gate a literal bound).

Until the catalogue exists on this branch, the same facts are read from the
loader's current public pieces (``loader.spec.COLUMNS``, ``ensure_schema``):
still the loader's one copy, never a second one here.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import duckdb

RAW_TABLES = ("raw.trajecten", "raw.banen", "raw.organisatie")


def _raw_ddl(con: duckdb.DuckDBPyConnection) -> None:
    try:
        from werkmonitor.catalogue.format import raw_ddl
    except ImportError:  # the catalogue not merged yet: the loader's own schema
        from werkmonitor.loader import ensure_schema

        ensure_schema(con)
        return
    con.execute("create schema if not exists raw; create schema if not exists audit;")
    ddl = raw_ddl()
    con.execute(ddl if isinstance(ddl, str) else ";\n".join(ddl))


def _value(obj: Any, *names: str) -> Any:
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


def format_columns() -> dict[str, list[dict[str, Any]]]:
    """Sheet → its columns as ``{name, min, max, max_length}`` from the catalogue."""
    try:
        from werkmonitor.catalogue.format import submission_format
    except ImportError:
        from werkmonitor.loader.spec import COLUMNS, TRAJECT_ID_MAX_LENGTH

        return {
            sheet: [{"name": c.name, "min": c.min_value, "max": c.max_value,
                     "max_length": TRAJECT_ID_MAX_LENGTH if c.name == "traject_id" else None}
                    for c in columns]
            for sheet, columns in COLUMNS.items()
        }
    spec = submission_format()
    sheets = _value(spec, "sheets") or spec
    items = sheets.items() if isinstance(sheets, dict) else (
        (_value(sheet, "name"), sheet) for sheet in sheets)
    out: dict[str, list[dict[str, Any]]] = {}
    for sheet, body in items:
        columns = _value(body, "columns") or body
        columns = columns.values() if isinstance(columns, dict) else columns
        out[str(sheet)] = [
            {"name": _value(c, "name"), "min": _value(c, "min", "min_value"),
             "max": _value(c, "max", "max_value"), "max_length": _value(c, "max_length")}
            for c in columns
        ]
    return out


@cache
def raw_column_types() -> dict[str, tuple[str, ...]]:
    """Raw table → ``"column TYPE"`` in table order, as the contract's DDL creates them."""
    con = duckdb.connect()
    try:
        _raw_ddl(con)
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
            for bound in ("min", "max", "max_length"):
                if column[bound] is not None:
                    params[f"{sheet}_{column['name']}_{bound}"] = column[bound]
    return params
