"""The one ``organisatie`` row: every broken rule rejects (a single row cannot be quarantined)."""

from __future__ import annotations

import pyarrow as pa

from werkmonitor.catalogue import Sheet
from werkmonitor.loader import batch, rules
from werkmonitor.loader.problem import Problem
from werkmonitor.quarters import Quarter


def check_organisatie(
    con,
    sheet: Sheet,
    labels: list[str],
    orgs: list[str | None],
    name_quarters: list[str | None],
    has_ips: list[bool],
    periods: list[Quarter | None],
) -> list[tuple[pa.Table | None, list[Problem]]]:
    """Per submission: the row as ``raw.organisatie`` holds it, and the reasons to reject."""
    column_rules = rules.column_rules(sheet, {})
    batch.run_rules(con, "organisatie", column_rules, has_traject_id=False)
    found = batch.problems(con, "organisatie", labels, periods, column_rules)
    rows: dict[int, list] = {}
    for sub, *values in con.execute(
        "select sub, source_row, d__organisatie_code, c__organisatie_code, d__kwartaal,"
        " c__kwartaal, c__fte_trajectbegeleiding, t__fte_trajectbegeleiding"
        " from typed_organisatie order by sub, source_row"
    ).fetchall():
        rows.setdefault(sub, []).append(values)
    out = []
    for sub, label in enumerate(labels):
        mine = rows.get(sub, [])
        if len(mine) != 1:
            params = {"count": len(mine)}
            out.append(
                (
                    None,
                    [Problem(label, "organisatie", None, None, None, "organisatie_rows", params)],
                )
            )
            continue
        out.append(_one(label, mine[0], found[sub], orgs[sub], name_quarters[sub], has_ips[sub]))
    return out


def _one(label, row, found, org, name_quarter, has_ips):
    source_row, code_d, code, kw_d, kwartaal, fte_text, fte = row
    kw_norm = str(Quarter.parse(kwartaal)) if kwartaal and Quarter.is_valid(kwartaal) else None
    problems = [p for p in found if p.column in ("organisatie_code", "kwartaal")]
    if code is not None and org is not None and code.upper() != org:
        problems.append(
            Problem(
                label,
                "organisatie",
                source_row,
                "organisatie_code",
                code_d,
                "organisatie_code_mismatch",
                {"code": org},
            )
        )
    if kwartaal is not None and name_quarter is not None and kw_norm != name_quarter:
        problems.append(
            Problem(
                label,
                "organisatie",
                source_row,
                "kwartaal",
                kw_d,
                "kwartaal_mismatch",
                {"quarter": name_quarter},
            )
        )
    problems += [p for p in found if p.column == "fte_trajectbegeleiding"]
    if has_ips and fte_text is None:
        problems.append(
            Problem(
                label, "organisatie", source_row, "fte_trajectbegeleiding", None, "fte_required"
            )
        )
    table = pa.table(
        {
            "source_row": pa.array([source_row], pa.int32()),
            "organisatie_code": pa.array([code.upper() if code is not None else None], pa.string()),
            "kwartaal": pa.array([kw_norm], pa.string()),
            "fte_trajectbegeleiding": pa.array([fte], pa.float64()),
        }
    )
    return table, problems
