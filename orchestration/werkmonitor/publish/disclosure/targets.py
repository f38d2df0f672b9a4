"""The utility targets of issue 10, measured on what is published.

National: the headline figures of every trajectory type shown as a figure
or ``<5`` (never ``x``) in every quarter. Regions with at least 10 running
IPS trajectories: IPS running, started, paid and sustainable work and the
IPS financing split. An ``x`` is *forced* when the primary rules hide it
(``small_denominator``; a part of a small total reads ``<5`` since round
5); ``withheld`` is a partner or linked cell the suppression chose.
``target_cells`` marks the same cells in a disclosure system, so that
``secondary.cost_of`` chooses them as partners last.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HEADLINE = (
    "running",
    "started",
    "ended",
    "paid_work",
    "sustainable_paid_work",
    "ever_paid_work",
    "ended_with_paid_work",
    "ended_worked_before",
    "ended_never_worked",
)
REGION_IPS = ("running", "started", "paid_work", "sustainable_paid_work")
MIN_RUNNING_IPS = 10
# Round 1 (the rules of publish/suppression.py, removed), measured with those
# rules on the round-3 baseline warehouse (/work/r3base, 11 quarters): for reference.
ROUND_1_SHARES = {"national": {"all": 0.7067}, "region": {"all": 0.293}}  # bench, round 2 code


TARGET_WEIGHT = 1000.0  # the utility targets: the last partners chosen


def target_cells(system) -> np.ndarray:
    """The cells issue 10 §4 wants shown (``targets.py``): the national
    headline figures of every type, and IPS running, started, paid,
    sustainable and the financing split of running in every region with at
    least 10 running IPS trajectories. Partners come from elsewhere first."""
    keys = system.keys
    level, ttype = keys["level"].to_numpy(), keys["trajectory_type"].to_numpy()
    ind, fin = keys["indicator"].to_numpy(), keys["financing"].to_numpy()
    rest_all = (keys["ips_scheme"].to_numpy() == "ALL") & (keys["ips_phase"].to_numpy() == "ALL")
    national = (level == "national") & (fin == "ALL") & rest_all & np.isin(ind, HEADLINE)
    ips = (level == "region") & (ttype == "IPS") & rest_all
    running = ips & (fin == "ALL") & (ind == "running") & (system.truth >= MIN_RUNNING_IPS)
    region = keys["region_code"].to_numpy()
    quarter = keys["quarter"].to_numpy()
    big = set(zip(quarter[running], region[running], strict=True))
    in_big = np.fromiter(
        ((q, r) in big for q, r in zip(quarter, region, strict=True)), bool, len(region)
    )
    wanted = ((fin == "ALL") & np.isin(ind, REGION_IPS)) | ((fin != "ALL") & (ind == "running"))
    return national | (ips & in_big & wanted)


def _name(row) -> str:
    where = row["region_code"] if isinstance(row["region_code"], str) else "national"
    return (
        f"{row['quarter']} {where} {row['trajectory_type']}/{row['financing']} {row['indicator']}"
    )


def _summary(cells: pd.DataFrame) -> dict:
    x = cells[cells["display_value"] == "x"]
    forced = x["suppression_reason"] != "withheld"
    return {
        "cells": len(cells),
        "shown_or_lt5": int((cells["display_value"] != "x").sum()),
        "x_forced": [_name(r) for _, r in x[forced].iterrows()],
        "x_chosen": [_name(r) for _, r in x[~forced].iterrows()],
    }


def headline_targets(table: pd.DataFrame, indicators: pd.DataFrame) -> dict:
    if table.empty:
        return {}
    rest_all = (table["ips_scheme"] == "ALL") & (table["ips_phase"] == "ALL")
    national = table[
        (table["level"] == "national")
        & (table["financing"] == "ALL")
        & rest_all
        & table["indicator"].isin(HEADLINE)
    ]
    running = indicators[
        (indicators["level"] == "region")
        & (indicators["trajectory_type"] == "IPS")
        & (indicators["financing"] == "ALL")
        & (indicators["ips_scheme"] == "ALL")
        & (indicators["ips_phase"] == "ALL")
        & (indicators["indicator"] == "running")
        & (indicators["numerator"] >= MIN_RUNNING_IPS)
    ][["quarter", "region_code"]]
    ips = table[
        (table["level"] == "region")
        & (table["trajectory_type"] == "IPS")
        & rest_all
        & (
            ((table["financing"] == "ALL") & table["indicator"].isin(REGION_IPS))
            | ((table["financing"] != "ALL") & (table["indicator"] == "running"))
        )
    ].merge(running, on=["quarter", "region_code"])
    out: dict = {"national_headline": {}, "region_ips": {}}
    for quarter, cells in national.groupby("quarter"):
        out["national_headline"][str(quarter)] = _summary(cells)
    for quarter, cells in ips.groupby("quarter"):
        out["region_ips"][str(quarter)] = {"regions": int(cells["region_code"].nunique())} | (
            _summary(cells)
        )
    return out
