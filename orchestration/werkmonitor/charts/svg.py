"""Drop-in SVG functions with the signatures of the old ``publish/svgcharts``.

For switching the reports' chart calls (``publish/reports/plots.py``) to the
one grammar in one step: each function turns its lists into the tidy rows of
:mod:`werkmonitor.charts`, formats the labels with :mod:`werkmonitor.formatting`
and returns the SVG text. New code should call the builders directly.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from werkmonitor.charts.bars import bar_chart as _bars
from werkmonitor.charts.cohorts import cohort_curve
from werkmonitor.charts.lines import quarter_lines
from werkmonitor.charts.render import to_svg
from werkmonitor.formatting import fmt_count, fmt_pct


def _label(value: float | None, mask: str | None, percent: bool, sign: bool) -> str:
    if value is None:
        return mask or "x"
    return fmt_pct(value, 1, sign=sign) if percent else fmt_count(value, sign=sign)


def bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    masks: dict[str, Sequence[str | None]] | None = None,
    percent: bool = False,
    horizontal: bool = False,
    title: str = "",
    signed: bool = False,
) -> str:
    """Grouped bars; a None value is hidden and shows its mask instead."""
    rows = []
    for name, values in series.items():
        labels = (masks or {}).get(name) or [None] * len(categories)
        for category, value, mask in zip(categories, values, labels, strict=True):
            rows.append({"category": category, "series": name, "value": value,
                         "label": _label(value, mask, percent, signed)})  # fmt: skip
    kind = "share" if percent else "count"
    spec = _bars(pd.DataFrame(rows), kind=kind, horizontal=horizontal, title=title,
                 category_order=list(categories), series_order=list(series))  # fmt: skip
    return to_svg(spec)


def line_chart(
    periods: Sequence[str], series: dict[str, Sequence[float | None]], title: str = ""
) -> str:
    """Shares over quarters; hidden points are gaps in the line."""
    rows = [
        {"quarter": period, "series": name, "value": value,
         "label": "x" if value is None else fmt_pct(value)}
        for name, values in series.items()
        for period, value in zip(periods, values, strict=True)
    ]  # fmt: skip
    spec = quarter_lines(pd.DataFrame(rows), kind="share", title=title, quarters=list(periods),
                         series_order=list(series))  # fmt: skip
    return to_svg(spec)


def stacked_share_chart(
    categories: Sequence[str], parts: dict[str, Sequence[float | None]], title: str = ""
) -> str:
    """100% bars; a category with any hidden part is drawn empty."""
    rows = [
        {"category": category, "series": name, "value": value,
         "label": "x" if value is None else fmt_pct(value, 0)}
        for name, values in parts.items()
        for category, value in zip(categories, values, strict=True)
    ]  # fmt: skip
    spec = _bars(pd.DataFrame(rows), kind="share", stacked=True, title=title,
                 category_order=list(categories), series_order=list(parts))  # fmt: skip
    return to_svg(spec)


def cohort_chart(curves: dict[str, Sequence[tuple]], title: str = "") -> str:
    """Share by month since start per curve, with its band; points are
    ``(month, share, lower, upper)`` or ``(month, share, lower, upper, at_risk)``."""
    rows = [
        {"series": name, "month": p[0], "cumulative_share": p[1], "ci_lower": p[2],
         "ci_upper": p[3], "at_risk": p[4] if len(p) > 4 else None}
        for name, points in curves.items()
        for p in points
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["series", "month", "cumulative_share", "ci_lower",
                                        "ci_upper", "at_risk"])  # fmt: skip
    return to_svg(cohort_curve(frame, title=title, series_order=list(curves)))
