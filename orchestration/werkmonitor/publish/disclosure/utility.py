"""How much of the table a reader gets: share of cells shown, per level and family.

The family of an indicator is its ``family`` in the indicator catalogue
(``seeds/indicators.csv``).
"""

from __future__ import annotations

import functools

import pandas as pd

from werkmonitor.publish.disclosure.labels import KEY
from werkmonitor.reference import read_seed


@functools.lru_cache(maxsize=1)
def _families() -> dict[str, str]:
    return {r["indicator"]: r["family"] for r in read_seed("indicators")}


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


def published_families(listed: pd.DataFrame) -> dict:
    """{level: [family, ...]} of a ``published_indicators`` table: beside the
    shares, which families a level's share is over (a family left out of a
    level is not "0% shown" but not published there)."""
    return {
        str(level): sorted(map(str, set(part["family"])))
        for level, part in listed.groupby("level", sort=True)
    }


CELL = [c for c in KEY if c != "organisation_code"]  # the public tier has no organisation rows


def _counts(shown: pd.Series, family: pd.Series) -> dict:
    out = {"cells": int(len(shown)), "shown": int(shown.sum())}
    out["share"] = round(float(shown.mean()), 4) if len(shown) else None
    out["families"] = {
        str(f): {"cells": int((family == f).sum()), "shown": int(shown[family == f].sum())}
        for f in sorted(family.unique())
    }
    return out


def compare_shown(before: pd.DataFrame, after: pd.DataFrame) -> dict:
    """Cells shown as a figure before (an earlier file) and after, per level
    and family, in absolute numbers and shares: over each file's own cells,
    and over the cells of the earlier file (``same_cells``: a cell the new
    file no longer publishes counts as not shown), the two honest readings
    of "the share shown" when the new file publishes fewer breakdowns.
    Only the quarters both hold are compared."""
    quarters = set(before["quarter"]) & set(after["quarter"])
    before = before[before["quarter"].isin(quarters)]
    after = after[after["quarter"].isin(quarters)]

    def norm(frame):
        out = frame[CELL].astype("string").fillna("")
        return out.assign(shown=~frame["is_suppressed"].astype(bool).to_numpy())

    b, a = norm(before), norm(after)
    same = b[CELL].merge(a, on=CELL, how="left")
    same["shown"] = same["shown"].astype("boolean").fillna(False).astype(bool)
    out: dict = {"quarters": sorted(quarters)}
    for level in sorted(set(b["level"]) | set(a["level"])):
        parts = {"before": b, "after": a, "same_cells": same}
        out[str(level)] = {
            name: _counts(
                frame.loc[frame["level"] == level, "shown"].reset_index(drop=True),
                frame.loc[frame["level"] == level, "indicator"]
                .map(family_of)
                .reset_index(drop=True),
            )
            for name, frame in parts.items()
        }
    return out
