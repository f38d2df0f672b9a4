"""The identifier scan: one set-based DuckDB query over every cell of a submission.

Every sheet and every extra file goes through the same rule
(``identifiers.SQL_MACROS``), so a BSN is caught wherever it is and however it
was typed. A hit yields its position only; the value never leaves DuckDB.
"""

from __future__ import annotations

import duckdb

from werkmonitor.loader.frame import Frame, scan_table
from werkmonitor.loader.identifiers import SQL_CANDIDATE, SQL_DIGITS, SQL_ELEVEN
from werkmonitor.loader.problem import Problem

# BSN hits reported per column; the rest is summarised (the file is rejected anyway)
MAX_BSN_PER_COLUMN = 10


def bsn_problems(con: duckdb.DuckDBPyConnection, groups: list[list[Frame]]) -> list[list[Problem]]:
    """The BSN hits of each submission (a group of frames), in feedback order."""
    frames = [frame for group in groups for frame in group]
    owner = [g for g, group in enumerate(groups) for _ in group]
    out: list[list[Problem]] = [[] for _ in groups]
    selects, places, names = [], [], []
    for f, frame in enumerate(frames):
        table, columns = scan_table(frame)
        con.register(f"scan_{f}", table)
        places.append((frame.label, frame.sheet))
        names.append(columns)
        if columns:
            cols = ", ".join(f"c{k}" for k in range(len(columns)))
            selects.append(
                f"select {f} as frame, cast(substr(col, 2) as integer) as k, source_row, v"
                f" from (unpivot scan_{f} on {cols} into name col value v)"
            )
    if not selects:
        return out
    hits = con.execute(
        f"""
        with cells as ({" union all ".join(selects)}),
        candidates as (
            select frame, k, source_row, {SQL_DIGITS} as d from cells where {SQL_CANDIDATE}
        ),
        hits as (select distinct frame, k, source_row from candidates where {SQL_ELEVEN}),
        numbered as (
            select *, row_number() over (partition by frame, k order by source_row) as n,
                count(*) over (partition by frame, k) as total
            from hits
        )
        select frame, k, source_row, n, total from numbered where n <= {MAX_BSN_PER_COLUMN}
        """
    ).fetchall()
    hits = [(f, names[f][k], row, n, total) for f, k, row, n, total in hits]
    for f in range(len(frames)):
        con.unregister(f"scan_{f}")
    # the order of the feedback: sheet, column, row (then the summary lines per column)
    hits.sort(key=lambda h: (owner[h[0]], places[h[0]][1] or "", h[1] or "", h[2], places[h[0]][0]))
    for f, column, row, _, _ in hits:
        out[owner[f]].append(Problem(places[f][0], places[f][1], row, column, None, "bsn_value"))
    for f, column, _, n, total in hits:
        if n == MAX_BSN_PER_COLUMN and total > MAX_BSN_PER_COLUMN:
            label, sheet = places[f]
            params = {"count": total - MAX_BSN_PER_COLUMN}
            out[owner[f]].append(
                Problem(label, sheet, None, column, None, "bsn_value_more", params)
            )
    return out
