"""Attack the published fixture file by plain subtraction, without the audit's code.

An outsider's solver: every additive group (financing, IPS scheme and phase,
trajectory types, regions -> national, outflow categories -> ended) with one
unknown member gives it away; repeat until nothing new. No hidden count of
1-4 may come out, and the recovered values must be the working warehouse's
(so the solver is right when it does recover something).

An absent row counts as 0 only inside a breakdown the file's
``published_breakdowns`` lists (interface of round 5; a file without that
table publishes every breakdown): a group with a member in an unlisted
breakdown is no relation.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from publish_fixtures import build_warehouse

from werkmonitor.publish import publish

GROUPS = {  # dimension -> (total, members), written out here on purpose
    "financing": ("ALL", ["UWV", "GEMEENTE", "OVERIG"]),
    "ips_scheme": ("ALL", ["EPA", "CMD", "GEEN"]),
    "ips_phase": ("ALL", ["AANGEVRAAGD", "GOEDGEKEURD"]),
    "trajectory_type": ("ALL", ["IPS", "WABZ", "JOBCOACHING", "WERKFIT", "NAAR_WERK", "OVERIG"]),
}
CELL = [
    "quarter",
    "level",
    "region_code",
    "trajectory_type",
    "financing",
    "ips_scheme",
    "ips_phase",
    "indicator",
]


def _breakdown(key: tuple) -> str:
    for dim in ("financing", "ips_scheme", "ips_phase"):
        if key[CELL.index(dim)] != "ALL":
            return dim
    return "trajectory_type"


def solve(table: pd.DataFrame, listed: set[tuple] | None = None) -> dict[tuple, float]:
    """``listed``: (level, trajectory_type, breakdown) published (None: all)."""

    def published(key: tuple) -> bool:
        return listed is None or (key[1], key[3], _breakdown(key)) in listed

    known = {}
    hidden = set()
    for row in table.itertuples(index=False):
        key = tuple(getattr(row, c) or "" for c in CELL)
        if row.is_suppressed:
            hidden.add(key)
        else:
            known[key] = row.numerator
    present = set(known) | hidden
    recovered: dict[tuple, float] = {}
    for _ in range(50):
        new = 0
        for dim, (total, members) in GROUPS.items():
            i = CELL.index(dim)
            for key in [k for k in present if k[i] == total]:
                cells = [key[:i] + (m,) + key[i + 1 :] for m in members]
                if not all(published(c) for c in cells):
                    continue
                cells = [c for c in cells if c in present]
                new += _one(key, cells, known, recovered)
        nationals = [k for k in present if k[1] == "national"]
        for key in nationals:
            if not published(key[:1] + ("region",) + key[2:]):
                continue
            cells = [k for k in present if k[1] == "region" and k[3:] == key[3:] and k[0] == key[0]]
            if cells:
                new += _one(key, cells, known, recovered)
        for key in [k for k in present if k[7] == "ended"]:
            cells = [
                key[:7] + (c,)
                for c in ("ended_with_paid_work", "ended_worked_before", "ended_never_worked")
            ]
            if all(c in present for c in cells):
                new += _one(key, cells, known, recovered)
        if not new:
            break
    return recovered


def _one(total, members, known, recovered) -> int:
    if not members:
        return 0  # a breakdown this table does not split: no relation
    unknown = [c for c in [total, *members] if c not in known]
    if len(unknown) != 1:
        return 0
    rest = sum(known[c] for c in members if c in known)
    cell = unknown[0]
    value = rest if cell == total else known[total] - rest
    known[cell] = value
    recovered[cell] = value
    return 1


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    base = tmp_path_factory.mktemp("subtraction")
    warehouse = build_warehouse(base / "wh.duckdb")
    result = publish(warehouse, base / "pub")
    return warehouse, result.path


def test_no_small_count_comes_out_by_subtraction(files):
    warehouse, published = files
    with duckdb.connect(str(published), read_only=True) as con:
        table = con.execute("select * from quarterly_indicators").df()
        listed = set(con.execute("select * from published_breakdowns").fetchall())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        truth = con.execute(
            "select * from marts.quarterly_indicators where level <> 'organisation'"
        ).df()
    truth_of = {
        tuple(getattr(r, c) or "" for c in CELL): r.numerator for r in truth.itertuples(index=False)
    }
    recovered = solve(table, listed)
    assert all(abs(v - truth_of[k]) < 1e-9 for k, v in recovered.items())  # the solver is right
    small = {k: v for k, v in recovered.items() if 1 <= v <= 4}
    assert small == {}
    assert not (table["level"] == "organisation").any()


def test_the_solver_finds_what_subtraction_gives():
    """The solver on its own: a region cell hidden alone beside national comes out."""
    rows = [
        ("national", None, 60.0, False),
        ("region", "AM01", 3.0, True),
        ("region", "AM02", 57.0, False),
    ]
    table = pd.DataFrame(
        [
            {
                "quarter": "2024Q3",
                "level": lv,
                "region_code": r,
                "trajectory_type": "ALL",
                "financing": "ALL",
                "ips_scheme": "ALL",
                "ips_phase": "ALL",
                "indicator": "running",
                "numerator": None if h else n,
                "is_suppressed": h,
            }
            for lv, r, n, h in rows
        ]
    )
    recovered = solve(table)
    assert recovered == {("2024Q3", "region", "AM01", "ALL", "ALL", "ALL", "ALL", "running"): 3.0}


def test_the_solver_uses_no_group_over_an_unpublished_breakdown():
    """Region ALL x UWV (8, hidden) = IPS x UWV (7) + WABZ x UWV (1, not
    published at region level): reading the absent WABZ row as 0 gives a
    wrong 7; with the file's published_breakdowns the group is no relation."""

    def row(ttype, financing, n, hidden):
        return {
            "quarter": "2024Q3",
            "level": "region",
            "region_code": "AM01",
            "trajectory_type": ttype,
            "financing": financing,
            "ips_scheme": "ALL",
            "ips_phase": "ALL",
            "indicator": "running",
            "numerator": None if hidden else n,
            "is_suppressed": hidden,
        }

    table = pd.DataFrame([row("ALL", "UWV", 8.0, True), row("IPS", "UWV", 7.0, False)])
    key = ("2024Q3", "region", "AM01", "ALL", "UWV", "ALL", "ALL", "running")
    assert solve(table) == {key: 7.0}  # wrong: the reader must not assume 0
    listed = {("region", t, b) for t in ("ALL", "IPS") for b in ("trajectory_type", "financing")}
    listed |= {("region", "WABZ", "trajectory_type")}
    assert solve(table, listed) == {}
