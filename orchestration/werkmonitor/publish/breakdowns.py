"""Which breakdowns the public tier publishes per level (issue 10 §2).

At region level some breakdowns (IPS scheme and phase, the financing split of
the smaller trajectory types) are published nationally only
(``region_breakdowns`` in ``suppression.yml``): their rows cross regions ×
types × breakdown × indicator groups, are mostly small, and every relation
they add costs partners elsewhere. Their rows are left out of the public
``quarterly_indicators``; ``published_breakdowns`` lists what is in, so a
reader (and the reports) can tell an absent row inside a published breakdown
(0) from a breakdown that is not published at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from werkmonitor.publish.policy import BREAKDOWNS, Policy
from werkmonitor.reference import read_seed

COLUMNS = ["level", "trajectory_type", "breakdown"]
LEVELS = ("national", "region")


def breakdown_of(frame: pd.DataFrame) -> np.ndarray:
    """Per row: ``financing``, ``ips_scheme``, ``ips_phase`` (the dimension
    that is not ``ALL``) or ``trajectory_type`` (the type's own rows). The
    mart crosses no two of them; a row that did would count as the first."""
    out = np.full(len(frame), "trajectory_type", dtype=object)
    for dim in reversed(BREAKDOWNS[1:]):
        values = frame[dim].astype("string").fillna("ALL").to_numpy(object)
        out = np.where((values != "ALL") & (values != ""), dim, out)
    return out


def published_mask(frame: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Rows of a published (level, type, breakdown)."""
    if frame.empty or policy.region_breakdowns is None:
        return np.ones(len(frame), bool)
    combos = pd.DataFrame(
        {
            "level": frame["level"].astype("string").to_numpy(object),
            "trajectory_type": frame["trajectory_type"].astype("string").to_numpy(object),
            "breakdown": breakdown_of(frame),
        }
    )
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(combos))
    ok = np.array([policy.is_published(*u) for u in uniques], dtype=bool)
    return ok[codes]


def drop_unpublished(frame: pd.DataFrame | None, policy: Policy) -> pd.DataFrame | None:
    """``frame`` without the rows of an unpublished breakdown (also rows
    carried over from a file published under another policy: the file must
    hold what its ``published_breakdowns`` says)."""
    if frame is None:
        return None
    return frame[published_mask(frame, policy)].reset_index(drop=True)


def published_breakdowns(policy: Policy, frames: list[pd.DataFrame | None]) -> pd.DataFrame:
    """One row per published (level, type, breakdown): the breakdowns the
    rows read from the marts have (national publishes all of them), plus the
    own rows of every catalogue type, kept where the policy publishes them."""
    pairs = {(t["trajectory_type"], "trajectory_type") for t in read_seed("trajectory_types")}
    pairs.add(("ALL", "trajectory_type"))
    for frame in frames:
        if frame is not None and not frame.empty:
            types = frame["trajectory_type"].astype("string").to_numpy(object)
            pairs |= set(zip(types, breakdown_of(frame), strict=True))
    rows = [
        (level, ttype, bd)
        for level in LEVELS
        for ttype, bd in sorted(pairs, key=lambda p: (p[0] != "ALL", p[0], BREAKDOWNS.index(p[1])))
        if policy.is_published(level, ttype, bd)
    ]
    return pd.DataFrame(rows, columns=COLUMNS, dtype="string")


def published_in(con):
    """``is_published`` as a published file says it (its ``published_breakdowns``);
    None (everything) for a file from before round 5 without that table."""
    names = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    if "published_breakdowns" not in names:
        return None
    listed = set(con.execute("select * from published_breakdowns").fetchall())
    return lambda level, ttype, breakdown: (level, ttype, breakdown) in listed
