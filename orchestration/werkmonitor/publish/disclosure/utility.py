"""How much of the table a reader gets: share of cells shown, per level and family.

The family comes from the indicator catalogue (``seeds/indicators.csv``,
column ``family``) when it has one; until then from the relations catalogue
(the indicator groups) with counts and outcomes for the rest.
"""

from __future__ import annotations

import functools

import pandas as pd

from werkmonitor.catalogue.relations import load_relations
from werkmonitor.reference import read_seed

COUNTS = {"orientation", "orientation_ended", "running", "started", "ended"}


@functools.lru_cache(maxsize=1)
def _families() -> dict[str, str]:
    rows = read_seed("indicators")
    if rows and "family" in rows[0]:
        return {r["indicator"]: r["family"] for r in rows}
    out = {}
    for group in load_relations().indicator_groups:
        for member in group.members:
            out.setdefault(member, group.name)
    for r in rows:
        name = r["indicator"]
        if name not in out:
            out[name] = (
                "counts"
                if name in COUNTS
                else ("ratios" if r.get("kind") == "ratio" else "outcomes")
            )
    return out


def family_of(indicator: str) -> str:
    return _families().get(indicator, "other")


def shares_shown(table: pd.DataFrame) -> dict:
    """{level: {"all": share, family: share}} of rows shown as a figure."""
    if table.empty:
        return {}
    shown = ~table["is_suppressed"].astype(bool)
    family = table["indicator"].map(family_of)
    out: dict[str, dict[str, float]] = {}
    for level, idx in table.groupby("level").groups.items():
        part = shown.loc[idx]
        fam = family.loc[idx]
        out[str(level)] = {"all": round(float(part.mean()), 4)} | {
            str(f): round(float(part[fam == f].mean()), 4) for f in sorted(fam.unique())
        }
    return out
