"""The one place the reports make a chart: a ``werkmonitor.charts`` (Vega-Lite) spec.

The report builders hand over plain lists (categories, series, masks); this
module turns them into the tidy rows the chart grammar takes — ``value`` None
where the published file hides the figure, ``label`` the Dutch text
(:mod:`werkmonitor.formatting`) or the mask — and returns the spec
(:func:`werkmonitor.charts.figure`: built once per shape, the rows swapped
in). The page draws it in the browser with the dashboard's offline bundle, so
a report chart is the dashboard's chart. A test can replace a function here
to make one chart fail.
"""

from __future__ import annotations

import os

from werkmonitor import charts
from werkmonitor.charts.published import MASK_REASONS_NL
from werkmonitor.formatting import fmt_count, fmt_pct
from werkmonitor.publish.reports.document import CURRENT

# Test hook: the name of one report (``regio/AM13``) whose charts fail to draw,
# so a test can check that only that report fails — also in a worker process.
FAIL_ENV = "WERKMONITOR_REPORTS_FAIL_CHART"
MISSING = "–"


def _label(value, mask, percent: bool, signed: bool = False) -> str:
    if value is None:
        return mask or MISSING
    return fmt_pct(value, sign=signed) if percent else fmt_count(value, sign=signed)


def _chart(builder, rows: list[dict], **kw) -> dict:
    failing = os.environ.get(FAIL_ENV)
    if failing and failing == CURRENT["job"]:
        raise ZeroDivisionError(f"chart of {failing} made to fail ({FAIL_ENV})")
    return charts.figure(builder, rows, **kw)


def bar_chart(categories, series, masks=None, percent=False, horizontal=True, signed=False):
    masks = masks or {}
    rows = []
    for name, values in series.items():
        names_masks = masks.get(name) or [None] * len(categories)
        for cat, value, mask in zip(categories, values, names_masks, strict=True):
            rows.append(
                {
                    "category": cat,
                    "series": name,
                    "value": value,
                    "label": _label(value, mask, percent, signed),
                    "reason": MASK_REASONS_NL.get(mask) if value is None else None,
                }
            )
    return _chart(
        charts.bar_chart,
        rows,
        kind="share" if percent else "count",
        horizontal=horizontal,
        category_order=list(categories),
        series_order=list(series),
    )


def _masked_rows(key: str, keys, series: dict, label) -> list[dict]:
    """One row per (``key`` value, series) with ``label(value)``; a missing value is
    a hidden one (``x``) with its reason — what a line and a stacked chart share."""
    return [
        {
            key: k,
            "series": name,
            "value": v,
            "label": label(v) if v is not None else "x",
            "reason": None if v is not None else MASK_REASONS_NL["x"],
        }
        for name, values in series.items()
        for k, v in zip(keys, values, strict=True)
    ]


def line_chart(periods, series):
    rows = _masked_rows("quarter", periods, series, fmt_pct)
    return _chart(
        charts.quarter_lines,
        rows,
        kind="share",
        quarters=list(periods),
        series_order=list(series),
    )


def stacked_share_chart(categories, parts):
    rows = _masked_rows("category", categories, parts, lambda v: fmt_pct(v, 0))
    return _chart(
        charts.bar_chart,
        rows,
        kind="share",
        stacked=True,
        horizontal=True,
        category_order=list(categories),
        series_order=list(parts),
    )


def cohort_chart(curves: dict[str, list[tuple[int, float, float, float, float]]]):
    """``curves``: name → (month, share, lower, upper, at risk); starts at month 0 with 0."""
    rows = []
    for name, points in curves.items():
        if points:
            rows.append(
                {
                    "series": name,
                    "month": 0,
                    "cumulative_share": 0.0,
                    "ci_lower": 0.0,
                    "ci_upper": 0.0,
                    "at_risk": points[0][4],
                }
            )
        rows += [
            {
                "series": name,
                "month": m,
                "cumulative_share": v,
                "ci_lower": lo,
                "ci_upper": hi,
                "at_risk": n,
            }
            for m, v, lo, hi, n in points
        ]
    last = max((r["month"] for r in rows), default=0)
    return _chart(charts.cohort_curve, rows, series_order=list(curves), max_month=last)
