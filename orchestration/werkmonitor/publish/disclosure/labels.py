"""The key of a published cell and the text a reader sees for it.

``KEY`` and ``display_values`` are what reports and the dashboard import
(they lived in the round-1 ``publish/suppression.py``, which is gone: its
rules leaked, see docs/publishing.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from werkmonitor.formatting import fmt_count, fmt_number, fmt_pct

DIMENSIONS = [
    "quarter",
    "level",
    "region_code",
    "organisation_code",
    "trajectory_type",
    "financing",
    "ips_scheme",
    "ips_phase",
]
KEY = [*DIMENSIONS, "indicator"]
SMALL_COUNT = "small_count"
# a part of a total of 1-4 (every member of that group, zeros included):
# ``<5`` as well, read as 0..4 (the total is at most 4)
SMALL_PART_LABEL = "part_of_small_total"
# labels that read ``<5``: a count (or a share's numerator) of 1-4, and a part
# of a total of 1-4 (0-4)
SMALL_LABELS = (SMALL_COUNT, SMALL_PART_LABEL)


def _float(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").astype(float).to_numpy()


def display_values(frame: pd.DataFrame, hidden: np.ndarray, reason: np.ndarray, policy):
    """The text per row: the formatted value, ``<5`` (a hidden count of 1-4,
    a share whose numerator is 1-4, a part of a total of 1-4: the label says
    as much already) or ``x`` (any other hidden cell)."""
    ratio = frame["indicator"].isin(policy.ratio_indicators).to_numpy()
    denominator = _float(frame, "denominator")
    value = _float(frame, "value")
    out: list[str | None] = []
    for i in range(len(frame)):
        is_count = np.isnan(denominator[i]) and not ratio[i]
        if hidden[i]:
            small = reason[i] in SMALL_LABELS and not ratio[i]
            out.append(policy.small_count_label if small else policy.withheld_label)
        elif np.isnan(value[i]):
            out.append(None)
        elif is_count:
            out.append(fmt_count(value[i]))
        elif ratio[i]:
            out.append(fmt_number(value[i], 1))
        else:
            out.append(fmt_pct(value[i]))
    return out
