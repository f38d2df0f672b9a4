"""The regional ambition table of the public file, protected against differencing.

Year-to-date started per region: ytd(Q) − ytd(Q−1) is the region's started
count for Q, so once a quarter's regional started cell is hidden, that
quarter's and every later year-to-date figure of the year is hidden too; a
year-to-date count below min_count is hidden as a small count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from werkmonitor.publish.policy import Policy

AMBITION_COLUMNS = [
    "year",
    "quarter",
    "region_code",
    "region_name",
    "division_code",
    "yearly_target",
    "started_year_to_date",
    "share_of_target",
]


def hidden_started(indicators: pd.DataFrame) -> set[tuple[str, str]]:
    """(quarter, region) whose published regional started cell (all breakdowns) is hidden."""
    started = indicators[
        (indicators["level"] == "region")
        & (indicators["indicator"] == "started")
        & (indicators["trajectory_type"] == "ALL")
        & (indicators["financing"] == "ALL")
        & (indicators["ips_scheme"] == "ALL")
        & (indicators["ips_phase"] == "ALL")
    ]
    return {
        (q, r)
        for q, r, h in zip(
            started["quarter"], started["region_code"], started["is_suppressed"], strict=True
        )
        if h
    }


def suppress_ambition(
    ambition: pd.DataFrame, hidden: set[tuple[str, str]], policy: Policy
) -> pd.DataFrame:
    """``ambition`` with is_suppressed, suppression_reason, display_value (see above)."""
    ambition = ambition[[c for c in AMBITION_COLUMNS if c in ambition.columns]]
    ambition = ambition.sort_values(["region_code", "year", "quarter"]).reset_index(drop=True)
    is_hidden = np.zeros(len(ambition), bool)
    reason: list[str | None] = [None] * len(ambition)
    for _, idx in ambition.groupby(["region_code", "year"]).groups.items():
        tripped = False
        for i in sorted(idx, key=lambda j: ambition.at[j, "quarter"]):
            ytd = ambition.at[i, "started_year_to_date"]
            if (ambition.at[i, "quarter"], ambition.at[i, "region_code"]) in hidden:
                tripped = True
            if tripped:
                is_hidden[i], reason[i] = True, "secondary"
            if policy.is_small_count(None if pd.isna(ytd) else float(ytd)):
                is_hidden[i], reason[i] = True, "small_count"
    ambition["is_suppressed"] = is_hidden
    ambition["suppression_reason"] = pd.array(reason, dtype="string")
    ambition["display_value"] = pd.array(
        [
            (policy.small_count_label if r == "small_count" else policy.withheld_label)
            if h
            else (None if pd.isna(v) else f"{int(v):,}".replace(",", "."))
            for h, r, v in zip(is_hidden, reason, ambition["started_year_to_date"], strict=True)
        ],
        dtype="string",
    )
    ambition.loc[is_hidden, ["started_year_to_date", "share_of_target"]] = np.nan
    return ambition
