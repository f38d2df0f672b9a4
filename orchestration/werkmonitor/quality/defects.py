"""A short account of what was wrong with the deliveries, and where the feedback is.

``werkmonitor run`` ends with it (the orchestrator prints the lines), so a
newcomer sees the loader's and the gates' work: rejected files and why
(sheet and column, never a value), rows in quarantine by rule, quarters with
regions marked ``*``, and the folders the feedback and gate details are in.
Every count is read from ``audit.*`` and the marts, nothing is kept aside.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {f"{s}.{t}" for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}


def _in(quarters: list[str] | None, column: str = "s.quarter") -> str:
    return f" and {column} in (select unnest($quarters::varchar[]))" if quarters else ""


def summary(warehouse: Path, quarters: list[str] | None = None,
            organisations_dir: Path | None = None,
            internal_dir: Path | None = None) -> list[str]:
    """Lines (Dutch) describing the defects of ``quarters`` (all when None)."""
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        return []
    params = {"quarters": list(quarters)} if quarters else {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = _tables(con)
        if "audit.submissions" not in tables:
            return []
        rejected = con.execute(
            f"""
            select s.file_path,
                   coalesce(string_agg(distinct r.rule_code || coalesce(' (' || r.sheet || ', '
                       || r.column_name || ')', ''), '; '), s.rejection_reason)
            from audit.submissions s left join audit.rejections r using (submission_id)
            where s.status = 'rejected' {_in(quarters)}
            group by s.file_path, s.rejection_reason order by s.file_path
            """, params).fetchall()
        by_rule = con.execute(
            f"""
            select q.rule_code, count(*) from audit.quarantined_rows q
            join audit.submissions s using (submission_id)
            where s.status = 'accepted' {_in(quarters)}
            group by all order by 2 desc, 1
            """, params).fetchall()
        rows, submissions, n_quarters = con.execute(
            f"""
            select coalesce(sum(rows_quarantined), 0),
                   count(*) filter (where rows_quarantined > 0),
                   count(distinct quarter) filter (where rows_quarantined > 0)
            from audit.submissions s where s.status = 'accepted' {_in(quarters)}
            """, params).fetchone()
        marked = []
        if "marts.region_completeness" in tables:
            marked = con.execute(
                f"""
                select quarter, count(*) from marts.region_completeness s
                where mark = '*' {_in(quarters)} group by quarter order by quarter
                """, params).fetchall()
    lines = ["Gebreken in de aanleveringen:"]
    lines.append(f"  afgekeurde bestanden: {len(rejected)}")
    lines += [f"    {path}: {reason}" for path, reason in rejected]
    rules = ", ".join(f"{rule} {count}" for rule, count in by_rule)
    lines.append(f"  rijen in quarantaine: {rows} in {submissions} aanlevering(en), "
                 f"{n_quarters} kwarta(a)l(en)" + (f" — bevindingen: {rules}" if rules else ""))
    if marked:
        lines.append("  regio's met * (onvolledig: een verwachte organisatie leverde niet): "
                     + ", ".join(f"{q} {n}" for q, n in marked))
    organisations = organisations_dir or warehouse.parent / "organisations"
    internal = internal_dir or warehouse.parent / "internal"
    lines.append(f"  terugkoppeling per organisatie: {organisations}/<ORG>/<kwartaal>/feedback.md")
    lines.append(f"  controles (intern): {internal / 'data_docs' / 'gates.html'}, "
                 f"details {internal / 'gates'}/<kwartaal>.json")
    return lines
