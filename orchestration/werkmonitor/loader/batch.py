"""The set-based part of checking: type and apply every row rule to many submissions at once.

All submissions of a run share one set of queries (the column ``sub`` keeps
them apart), so the cost of planning a query is paid once per quarter, not
once per file, and DuckDB sees one large input instead of dozens of small ones.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa

from werkmonitor.catalogue import Sheet, submission_format
from werkmonitor.loader import rules as row_rules
from werkmonitor.loader.normalise import ident, quote, typed_select
from werkmonitor.loader.problem import Problem
from werkmonitor.quarters import Quarter


def allowed_codes(regions: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    """Allowed codes per code column (the seeds); ``regions`` replaces the region seed."""
    out = {}
    for spec in submission_format().sheets.values():
        for col in spec.columns:
            if col.kind == "code":
                out[col.name] = col.allowed_codes()
            elif col.kind == "region":
                out[col.name] = tuple(regions) if regions is not None else col.allowed_codes()
    return out


def load_cells(con, sheet: Sheet, tables: list[pa.Table]) -> None:
    """``cells_<sheet>`` (sub, source_row, columns as text) and ``typed_<sheet>`` (with the
    submission's ``q_start`` / ``q_end`` from ``periods``, so every rule is a plain filter)."""
    parts = [
        t.append_column("sub", pa.array(np.full(t.num_rows, i, np.int32)))
        for i, t in enumerate(tables)
    ]
    con.register(f"cells_{sheet.name}", pa.concat_tables(parts))
    select = typed_select(sheet.columns, f"cells_{sheet.name}")
    keys = row_rules.DUPLICATE_KEYS.get(sheet.name)
    if keys:
        complete = " and ".join(f"{k} is not null" for k in keys)
        select = (
            f"select *, case when {complete} then count(*) over"
            f" (partition by sub, {', '.join(keys)}) end as n__duplicates from ({select})"
        )
    con.execute(
        f"create or replace temp table typed_{sheet.name} as"
        f" select * from ({select}) join periods using (sub)"
    )


def load_periods(con, periods: list[Quarter | None]) -> None:
    """``periods``: the quarter each submission is checked against (none when unknown)."""
    table = pa.table(
        {
            "sub": pa.array(range(len(periods)), pa.int32()),
            "q_start": pa.array([q.start if q else None for q in periods], pa.date32()),
            "q_end": pa.array([q.end if q else None for q in periods], pa.date32()),
        }
    )
    con.register("periods", table)


def run_rules(con, sheet: str, rules: list[row_rules.Rule], has_traject_id: bool = True) -> None:
    """``problems_<sheet>``: one row per broken rule and row, of every submission."""
    traject = "c__traject_id" if has_traject_id else "null::varchar"
    selects = []
    for seq, rule in enumerate(rules):
        value = f"d__{rule.column}" if rule.show_value else "null::varchar"
        selects.append(
            f"select sub, {seq} as seq, source_row, {quote(rule.column)} as column_name,"
            f" {value}::varchar as value, {quote(rule.rule_code)} as rule_code,"
            f" {rule.count or 'null'}::bigint as n,"
            f" {rule.detail[1] if rule.detail else 'null'}::varchar as detail,"
            f" {traject}::varchar as traject_id"
            f" from typed_{sheet} where {rule.where}"
        )
    con.execute(f"create or replace temp table problems_{sheet} as {' union all '.join(selects)}")


def problems(
    con, sheet: str, labels: list[str], periods: list[Quarter | None], rules: list[row_rules.Rule]
) -> list[list[Problem]]:
    """The hits of ``problems_<sheet>`` as messages per submission, rule by rule, row by row."""
    out: list[list[Problem]] = [[] for _ in labels]
    hits = con.execute(f"select * from problems_{sheet} order by sub, seq, source_row").fetchall()
    for sub, seq, row, column, value, code, n, detail, traject_id in hits:
        rule = rules[seq]
        params = dict(rule.params)
        if rule.count:
            params["count"] = n
        if rule.detail:
            params[rule.detail[0]] = detail
        for key in rule.quarter_params:
            quarter = periods[sub]
            params[key] = (quarter.start if key == "quarter_start" else quarter.end).isoformat()
        out[sub].append(Problem(labels[sub], sheet, row, column, value, code, params, traject_id))
    return out


def rows_per_submission(con, sheet: Sheet, n_subs: int) -> list[pa.Table]:
    """The rows as ``raw.<sheet>`` holds them (without submission_id), per submission in order."""
    columns = ["source_row::integer as source_row"] + [
        f"t__{c.name}::{c.duckdb_type} as {ident(c.name)}" for c in sheet.columns
    ]
    if sheet.is_quarantinable:
        columns.append(
            f"exists (select 1 from problems_{sheet.name} p where p.sub = t.sub"
            f" and p.source_row = t.source_row) as is_quarantined"
        )
    table = con.execute(
        f"select sub, {', '.join(columns)} from typed_{sheet.name} t order by sub, source_row"
    ).to_arrow_table()
    subs = table.column("sub").to_numpy()
    bounds = np.searchsorted(subs, np.arange(n_subs + 1), side="left")
    table = table.drop_columns(["sub"])
    return [table.slice(bounds[i], bounds[i + 1] - bounds[i]) for i in range(n_subs)]
