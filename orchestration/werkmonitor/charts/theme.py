"""What every chart shares: palette, Dutch locale, fonts, data and descriptions.

Every chart is a plain Vega-Lite spec (a dict) whose data sit in top-level
``datasets`` under stable names (``main``, ``reference``, …). Reports render
the spec as it is (:func:`werkmonitor.charts.to_svg`); the dashboard replaces
``spec["datasets"]["main"]`` with the rows of the current view and hands the
spec to the bundled vega-embed. So nothing in a spec may depend on the values
it was built with except the data itself: colours follow a series' ``order``
field, not a list of names.

Text that a reader sees next to a mark (``37,5%``, ``<5``) comes from the
``label`` column the caller formats with :mod:`werkmonitor.formatting`: d3's
number format rounds binary floats and would disagree with the tables on
exact halves. Axis ticks are round numbers, so d3 with the Dutch locale
(:data:`NUMBER_LOCALE`) formats them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

VEGA_LITE_VERSION = "6.4"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
# Okabe & Ito (2008): distinguishable with every common colour-vision
# deficiency; yellow last (too light for lines on white).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
REFERENCE_COLOR = "#595959"
MUTED = "#6b6b6b"
# Sequential, single hue (readable for colour-blind readers; dark = high).
SEQUENTIAL_SCHEME = "blues"
FONT = "DejaVu Sans, Arial, sans-serif"
NUMBER_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]}
KINDS = ("count", "share", "ratio")


def axis_format(kind: str) -> str:
    """d3 format of tick labels for an indicator kind (Dutch locale applies)."""
    if kind not in KINDS:
        raise ValueError(f"unknown indicator kind {kind!r} (count, share or ratio)")
    # "~" drops trailing zeros: 0,5% and 1% on a narrow axis, not 1% twice.
    return {"count": ",.0f", "share": ".1~%", "ratio": ",.1~f"}[kind]


def value_axis(kind: str, **extra) -> dict:
    """Axis properties of a value axis: Dutch format, whole ticks for counts."""
    out = {"format": axis_format(kind), "title": None, **extra}
    if kind == "count":
        out["tickMinStep"] = 1
    return out


def config() -> dict[str, Any]:
    return {
        "locale": {"number": NUMBER_LOCALE},
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"labelFontSize": 11, "titleFontSize": 11, "gridColor": "#e3e8ec"},
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom", "labelLimit": 360},
        "title": {"anchor": "start", "fontSize": 13},
        "range": {"category": PALETTE},
    }


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _clean(value.item())
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def records(frame: pd.DataFrame | Iterable[dict], columns: Sequence[str]) -> list[dict]:
    """Rows as JSON-ready dicts with exactly ``columns`` (missing ones None, NaN → None)."""
    rows = frame.to_dict("records") if isinstance(frame, pd.DataFrame) else list(frame)
    return [{c: _clean(row.get(c)) for c in columns} for row in rows]


def with_order(rows: list[dict], column: str, order: Sequence[str] | None) -> list[dict]:
    """Add ``<column>_order``: position in ``order`` or in first appearance.

    Plain rows, not a DataFrame: the reports prepare hundreds of small charts
    a quarter (:func:`werkmonitor.charts.figure`) and pandas costs more than
    the chart.
    """
    names = list(order) if order is not None else list(dict.fromkeys(r[column] for r in rows))
    rank = {name: i for i, name in enumerate(names)}
    return [{**r, f"{column}_order": rank.get(r[column], len(rank))} for r in rows]


def as_rows(data: pd.DataFrame | Iterable[dict] | None) -> list[dict]:
    """A builder's input as plain rows (a DataFrame or rows)."""
    if data is None:
        return []
    return data.to_dict("records") if isinstance(data, pd.DataFrame) else list(data)


def finish(
    spec: dict[str, Any],
    datasets: dict[str, list[dict]],
    description: str,
    title: str = "",
    chart: dict | None = None,
) -> dict[str, Any]:
    """Top-level keys every chart carries; the description is the text alternative.

    ``chart`` goes to ``usermeta`` (which builder drew it, stacked or not), so
    :func:`werkmonitor.charts.data_table` can lay out the rows as a table.
    """
    spec = dict(spec)
    spec.pop("config", None)
    out: dict[str, Any] = {"$schema": SCHEMA, "description": description}
    if chart:
        out["usermeta"] = chart
    if title:
        out["title"] = title
    out.update(spec)
    out["datasets"] = datasets
    out["config"] = config()
    return out


def describe(kind_nl: str, title: str, parts: Iterable[str]) -> str:
    """``Lijndiagram: Betaald werk. IPS: 2024Q2 37,5%, 2024Q3 x (niet getoond).``"""
    body = " ".join(p for p in parts if p)
    head = f"{kind_nl}: {title}." if title else f"{kind_nl}."
    return f"{head} {body}".strip()


def shown(row: dict) -> str:
    """The label of a row for a description (hidden values say so)."""
    label = row.get("label") or "–"
    return label if row.get("value") is not None else f"{label} (niet getoond)"
