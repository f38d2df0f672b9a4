"""Which breakdowns and indicators the public tier publishes per level (issue 10 §2).

At region level some breakdowns (IPS scheme and phase, the financing split of
the smaller trajectory types) and some indicator families (``region_indicators``:
the ones a region would see hidden nearly everywhere) are published
nationally only (``suppression.yml``): their rows cross regions × types ×
breakdown × indicator groups, are mostly small, and every relation they add
costs partners elsewhere. Their rows are left out of the public
``quarterly_indicators``; ``published_breakdowns`` and
``published_indicators`` list what is in, so a reader (and the reports) can
tell an absent row inside a published breakdown (0) from a breakdown or an
indicator that is not published at that level at all.
"""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd

from werkmonitor.charts.published import BREAKDOWNS
from werkmonitor.charts.published import breakdown_of as row_breakdown
from werkmonitor.publish.policy import Policy
from werkmonitor.reference import read_seed

COLUMNS = ["level", "trajectory_type", "breakdown"]
LEVELS = ("national", "region")


def breakdown_of(frame: pd.DataFrame) -> np.ndarray:
    """Per row of ``frame``: the breakdown it belongs to, by the one rule of
    ``charts.published.breakdown_of`` (applied once per distinct combination of
    financing, scheme and phase; null or empty counts as ``ALL``)."""
    dims = [
        frame[dim].astype("string").fillna("ALL").replace("", "ALL").to_numpy(object)
        for dim in BREAKDOWNS[1:]
    ]
    codes, uniques = pd.factorize(pd.MultiIndex.from_arrays(dims))
    names = np.array([row_breakdown(*u) for u in uniques] or ["trajectory_type"], dtype=object)
    return names[codes]


def members_mask(published, level, types, breakdown, indicators) -> np.ndarray:
    """Per element: ``published(level, type, breakdown, indicator=...)`` for every
    type and indicator of the element (several joined by ``|``) — the
    disclosure system's test that a group's members are all in the file.
    ``published`` None: everything; one without an ``indicator`` parameter
    (breakdowns only) is asked about breakdowns only."""
    n = len(level)
    if published is None or n == 0:
        return np.ones(n, bool)
    per_indicator = _takes_indicator(published)
    if not per_indicator:
        indicators = np.full(n, "", dtype=object)
    codes, uniques = pd.factorize(pd.MultiIndex.from_arrays([level, types, breakdown, indicators]))
    ok = [
        all(
            published(lv, t, bd, **({"indicator": i} if i else {}))
            for t in ts.split("|")
            for i in ids.split("|")
        )
        for lv, ts, bd, ids in uniques
    ]
    return np.asarray(ok, bool)[codes]


def _takes_indicator(published) -> bool:
    """Whether ``published`` also answers per indicator (``Policy.is_published``
    and ``PublishedBreakdowns.is_published`` do)."""
    try:
        return "indicator" in inspect.signature(published).parameters
    except (TypeError, ValueError):
        return False


def published_mask(frame: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Rows of a published (level, type, breakdown) and (level, indicator)."""
    if frame.empty or (policy.region_breakdowns is None and policy.region_families is None):
        return np.ones(len(frame), bool)
    combos = pd.DataFrame(
        {
            "level": frame["level"].astype("string").to_numpy(object),
            "trajectory_type": frame["trajectory_type"].astype("string").to_numpy(object),
            "breakdown": breakdown_of(frame),
            "indicator": frame["indicator"].astype("string").to_numpy(object),
        }
    )
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(combos))
    ok = np.array([policy.is_published(*u) for u in uniques], dtype=bool)
    return ok[codes]


def drop_unpublished(frame: pd.DataFrame | None, policy: Policy) -> pd.DataFrame | None:
    """``frame`` without the rows of an unpublished breakdown (also rows
    carried over from a file published under another policy: the file must
    hold what its ``published_breakdowns`` and ``published_indicators`` say)."""
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


INDICATOR_COLUMNS = ["level", "indicator", "family"]


def published_indicators(policy: Policy) -> pd.DataFrame:
    """One row per published (level, indicator) of the catalogue, with its
    family: an indicator without a row at a level is not published there
    (its absent rows are not 0 but unknown)."""
    from werkmonitor.catalogue.indicators import indicators

    rows = [
        (level, ind.code, ind.family)
        for level in LEVELS
        for ind in indicators()
        if policy.publishes_indicator(level, ind.code)
    ]
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS, dtype="string")
