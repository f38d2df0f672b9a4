"""The public tier of the indicator table: national and region rows,
suppressed per quarter so that no protected cell can be worked out.

Previous-quarter columns are taken from the previous quarter's *published*
row in the same file, only where that cell is shown; like-for-like columns
are not published in the public tier (plain − like-for-like isolates the
organisations that delivered in one quarter only; they stay in the
organisation tier and the working warehouse).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from werkmonitor.publish.disclosure.labels import display_values
from werkmonitor.publish.disclosure.protect import protect
from werkmonitor.publish.disclosure.secondary import published_labels
from werkmonitor.publish.disclosure.system import DIMENSIONS, KEY
from werkmonitor.quarters import Quarter

PUBLIC_LEVELS = ("national", "region")
PREVIOUS = ["previous_numerator", "previous_denominator", "previous_value"]
CHANGES = ["change_absolute", "change_relative", "change_percentage_points"]
LIKE_FOR_LIKE = [
    "like_for_like_numerator",
    "like_for_like_denominator",
    "like_for_like_value",
    "like_for_like_previous_numerator",
    "like_for_like_previous_denominator",
    "like_for_like_previous_value",
    "like_for_like_organisations",
]


def suppress_quarter(
    frame: pd.DataFrame, policy, shares: pd.DataFrame | None, known: pd.DataFrame | None = None
):
    """One quarter's public rows with the suppression columns; and the protection.
    ``known``: cells earlier publications showed (KEY + ``value``; see ``protect``)."""
    frame = frame.reset_index(drop=True).copy()
    result = protect(frame, policy, shares, known=known, intervals=policy.audit_intervals)
    reason = result.reason
    labels = published_labels(result.system, reason)
    hidden = reason != ""
    frame["is_suppressed"] = hidden
    frame["suppression_reason"] = pd.array([r or None for r in labels], dtype="string")
    shown = display_values(frame, hidden, np.asarray(labels), policy)
    frame["display_value"] = pd.array(shown, dtype="string")
    frame.loc[hidden, ["numerator", "denominator", "value"]] = np.nan
    return frame, result


def link_quarters(table: pd.DataFrame) -> pd.DataFrame:
    """previous_* and change_* from the previous quarter's published row."""
    table = table.copy()
    for col in [*PREVIOUS, *CHANGES, *LIKE_FOR_LIKE]:
        if col in table.columns:
            table[col] = np.nan
    if table.empty:
        return table
    key = [c for c in KEY if c != "quarter"]
    prev = table[~table["is_suppressed"]][["quarter", *key, "numerator", "denominator", "value"]]
    prev = prev.assign(quarter=prev["quarter"].map(lambda q: str(Quarter.parse(q).next())))
    prev = prev.rename(columns={"numerator": "p_num", "denominator": "p_den", "value": "p_val"})
    norm = [c for c in KEY]
    left = table[norm].astype("string").fillna("")
    right = prev.copy()
    right[norm] = right[norm].astype("string").fillna("")
    merged = left.merge(right, on=norm, how="left")
    shown = ~table["is_suppressed"].to_numpy(bool)
    p_val = merged["p_val"].to_numpy(float)
    has_prev = shown & ~np.isnan(p_val)
    table["previous_numerator"] = np.where(has_prev, merged["p_num"].to_numpy(float), np.nan)
    table["previous_denominator"] = np.where(has_prev, merged["p_den"].to_numpy(float), np.nan)
    table["previous_value"] = np.where(has_prev, p_val, np.nan)
    value = pd.to_numeric(table["value"], errors="coerce").to_numpy(float)
    change = np.where(has_prev, value - p_val, np.nan)
    table["change_absolute"] = change
    with np.errstate(divide="ignore", invalid="ignore"):
        table["change_relative"] = np.where(has_prev & (p_val != 0), change / p_val, np.nan)
    is_share = ~np.isnan(pd.to_numeric(table["denominator"], errors="coerce").to_numpy(float))
    table["change_percentage_points"] = np.where(has_prev & is_share, change * 100, np.nan)
    return table


__all__ = ["DIMENSIONS", "PUBLIC_LEVELS", "link_quarters", "suppress_quarter"]
