"""The public tier of the cohort mart (indicators.md, "In the public tier").

``marts.cohort_outcomes`` holds, per month since start, how many trajectories
are at risk, found work, ended without work or were censored. Only the share
and its band leave the working warehouse, and only for months with enough
trajectories at risk: with at least ``min_at_risk`` at risk no share is about
a small group, and rounding ``at_risk`` to a multiple of ``at_risk_multiple``
keeps the month-to-month differences (who left in which month) from being
read back. The same threshold holds for what a reader gets by subtracting
curves that nest (``cohort_nesting``). ``events``, ``ended_without`` and
``censored`` never leave.

The two numbers come from the publication policy file; disclosure's
``build.py`` passes them and writes the frame as table ``cohort_outcomes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import numpy as np
import pandas as pd

from werkmonitor.publish.cohort_nesting import shown_by_nesting

PUBLIC_COLUMNS = (
    "as_of_quarter", "level", "region_code", "region_name", "trajectory_type", "financing",
    "ips_scheme", "start_cohort", "outcome", "month", "at_risk", "cumulative_share",
    "ci_lower", "ci_upper",
)
# shares are shown as a percentage with one decimal: publish that precision
SHARE_QUANTUM = Decimal("0.001")

_QUERY = """
    select
        outcomes.as_of_quarter, outcomes.level, outcomes.region_code, regions.region_name,
        outcomes.trajectory_type, outcomes.financing, outcomes.ips_scheme,
        outcomes.start_cohort, outcomes.outcome, outcomes.month, outcomes.at_risk,
        outcomes.cumulative_share, outcomes.ci_lower, outcomes.ci_upper
    from marts.cohort_outcomes as outcomes
    left join marts.dim_regions as regions on outcomes.region_code = regions.region_code
    where outcomes.level in ('national', 'region')
        and (? or list_contains(?, outcomes.as_of_quarter))
    order by
        outcomes.as_of_quarter, outcomes.level, outcomes.region_code nulls first,
        outcomes.trajectory_type, outcomes.financing, outcomes.ips_scheme,
        outcomes.start_cohort, outcomes.outcome, outcomes.month
"""


def _round_share(value: float) -> float:
    """Half up, as the Dutch formatter rounds (0.3125 -> 0.313 -> 31,3%)."""
    if value is None or np.isnan(value):
        return np.nan
    return float(Decimal(repr(float(value))).quantize(SHARE_QUANTUM, rounding=ROUND_HALF_UP))


def _round_shares(values: np.ndarray) -> np.ndarray:
    """``_round_share`` of every value, computed once per distinct value."""
    distinct, where = np.unique(values, return_inverse=True)
    return np.array([_round_share(v) for v in distinct], dtype="float64")[where.reshape(-1)]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in PUBLIC_COLUMNS})


def _has_mart(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'marts' and table_name = 'cohort_outcomes'"
    ).fetchone()
    return bool(found and found[0])


def public_cohort_outcomes(
    con: duckdb.DuckDBPyConnection,
    min_at_risk: int = 20,
    at_risk_multiple: int = 5,
    *,
    quarters: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The public rows of ``marts.cohort_outcomes``, columns ``PUBLIC_COLUMNS``.

    Months with fewer than ``min_at_risk`` at risk are left out (at_risk only
    falls with the month, so each curve is cut off, never holed), and so are
    the months in which subtracting a nested curve (total minus parts) would
    describe fewer (``cohort_nesting``); at_risk is
    rounded to the nearest multiple of ``at_risk_multiple``; shares and band
    to one decimal of a percentage. ``quarters`` (optional) keeps only those
    as-of quarters, e.g. the ones whose gates passed. A warehouse built before
    the cohort mart existed gives an empty table rather than a failed
    publication.
    """
    if min_at_risk < 1 or at_risk_multiple < 1:
        raise ValueError("min_at_risk and at_risk_multiple must be at least 1")
    if not _has_mart(con):
        return _empty()
    selected = sorted(quarters) if quarters is not None else []
    frame = con.execute(_QUERY, [quarters is None, selected]).df()
    frame["month"] = frame["month"].astype("int64")
    frame = frame[shown_by_nesting(frame, min_at_risk)]
    frame["at_risk"] = (
        np.floor(frame["at_risk"].astype("int64") / at_risk_multiple + 0.5) * at_risk_multiple
    ).astype("int64")
    for column in ("cumulative_share", "ci_lower", "ci_upper"):
        frame[column] = _round_shares(frame[column].to_numpy("float64"))
    return frame.loc[:, list(PUBLIC_COLUMNS)].reset_index(drop=True)
