"""Cohort curves for the page, from the public ``cohort_outcomes`` table.

Only the latest ``as_of_quarter`` is shipped: earlier as-of quarters show the
same cohorts with less follow-up, and would multiply the file. Texts are
formatted here (:mod:`werkmonitor.formatting`); the page reads the numbers it
draws back from them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from werkmonitor.catalogue.indicators import indicators
from werkmonitor.dashboard.cells import missing
from werkmonitor.dashboard.data import NATIONAL
from werkmonitor.formatting import fmt_count, fmt_pct


def _outcome_labels() -> dict[str, str]:
    """Outcome code → Dutch label: an outcome is an indicator of the catalogue (its
    label, in the catalogue's order), never a second list here."""
    return {i.code: i.label_nl for i in sorted(indicators(), key=lambda i: i.sort_order)}

KEY = ["place", "trajectory_type", "financing", "ips_scheme", "start_cohort", "outcome"]


def compact_cohorts(frame: pd.DataFrame | None) -> dict[str, Any] | None:
    """``{"as_of", "outcomes", "starts", "curves": {key: [[month, share, lo, hi, at_risk]]}}``
    with ``key`` = place|type|financing|scheme|start|outcome; None without rows."""
    if frame is None or frame.empty:
        return None
    as_of = max(frame["as_of_quarter"])
    latest = frame[frame["as_of_quarter"] == as_of].copy()
    latest["place"] = [
        NATIONAL if level == "national" else code
        for level, code in zip(latest["level"], latest["region_code"], strict=True)
    ]
    latest = latest.sort_values([*KEY, "month"])
    curves: dict[str, list[list[Any]]] = {}
    for row in latest.to_dict("records"):
        key = "|".join(str(row[k]) for k in KEY)
        curves.setdefault(key, []).append(
            [
                int(row["month"]),
                fmt_pct(row["cumulative_share"]),
                "" if missing(row.get("ci_lower")) else fmt_pct(row["ci_lower"]),
                "" if missing(row.get("ci_upper")) else fmt_pct(row["ci_upper"]),
                "" if missing(row.get("at_risk")) else fmt_count(row["at_risk"]),
            ]
        )
    labels = _outcome_labels()
    outcomes = [o for o in labels if o in set(latest["outcome"])]
    outcomes += sorted(set(latest["outcome"]) - set(outcomes))
    starts = sorted(set(map(str, latest["start_cohort"])), key=lambda s: (s != "ALL", s))
    return {
        "as_of": as_of,
        "outcomes": [[o, labels.get(o, o)] for o in outcomes],
        "starts": starts,
        "curves": curves,
    }
