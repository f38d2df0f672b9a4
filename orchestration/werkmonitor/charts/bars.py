"""Bars per category: grouped (one bar per series) or stacked (parts of a whole).

A hidden bar is not drawn; its mask stands at the zero line with the reason
in the tooltip. In a stacked bar a hidden part would follow from the whole
minus the visible parts, so a category with any hidden part is drawn empty
with ``x (niet getoond)`` — done by a transform in the spec, so it holds for
whatever rows the dashboard swaps in.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from werkmonitor.charts.theme import (
    MUTED,
    PALETTE,
    as_rows,
    describe,
    finish,
    records,
    shown,
    value_axis,
    with_order,
)

COLUMNS = ["category", "series", "value", "label", "reason", "category_order", "series_order"]
HIDDEN_PART = "x (niet getoond)"


def _encodings(horizontal: bool, kind: str):
    value = (alt.X if horizontal else alt.Y)(
        "value:Q", axis=alt.Axis(**value_axis(kind)), stack=None
    )
    sort = alt.EncodingSortField(field="category_order", op="min")
    category = (alt.Y if horizontal else alt.X)(
        "category:N", sort=sort, title=None, axis=alt.Axis(labelLimit=220, labelAngle=0)
    )
    offset = (alt.YOffset if horizontal else alt.XOffset)(
        "series:N", sort=alt.EncodingSortField(field="series_order", op="min")
    )
    return value, category, offset


def bar_chart(
    data: pd.DataFrame,
    *,
    kind: str = "count",
    stacked: bool = False,
    horizontal: bool = True,
    title: str = "",
    description: str | None = None,
    category_order: Sequence[str] | None = None,
    series_order: Sequence[str] | None = None,
    width: int = 560,
    step: int = 18,
) -> dict:
    """Grouped or stacked bars.

    ``data``: ``category``, ``series`` (one value when there is a single
    series), ``value`` (None when hidden), ``label``, optional ``reason``.
    Dataset: ``main``.
    """
    rows, text = prepare(
        as_rows(data),
        stacked=stacked,
        title=title,
        category_order=category_order,
        series_order=series_order,
    )
    value, category, offset = _encodings(horizontal, kind)
    color = alt.Color(
        "series:N",
        sort=alt.EncodingSortField(field="series_order", op="min"),
        scale=alt.Scale(range=PALETTE),
        legend=alt.Legend(title=None) if len({r["series"] for r in rows}) > 1 else None,
    )
    tooltip = [
        alt.Tooltip("category:N", title="Categorie"),
        alt.Tooltip("series:N", title="Reeks"),
        alt.Tooltip("label:N", title="Waarde"),
        alt.Tooltip("reason:N", title="Niet getoond"),
    ]
    zero = (alt.X if horizontal else alt.Y)(datum=0, type="quantitative")
    base = alt.Chart(alt.NamedData(name="main"))
    if stacked:
        base = base.transform_joinaggregate(n_hidden="missing(value)", groupby=["category"])
        shown_filter = "datum.n_hidden === 0"
        # An explicit stack (in series order) so the labels sit mid-segment.
        parts = (
            base.transform_filter(shown_filter)
            .transform_stack(
                stack="value",
                as_=["v0", "v1"],
                groupby=["category"],
                sort=[{"field": "series_order"}],
            )
            .transform_calculate(mid="(datum.v0 + datum.v1) / 2")
        )
        axis = alt.Axis(**value_axis(kind))
        start = (alt.X if horizontal else alt.Y)("v0:Q", axis=axis)
        end = (alt.X2 if horizontal else alt.Y2)("v1:Q")
        mid = (alt.X if horizontal else alt.Y)("mid:Q")
        layers = [
            parts.mark_bar().encode(start, end, category, color, tooltip=tooltip),
            parts.mark_text(color="white", fontSize=10)
            .encode(mid, category, alt.Text("label:N"))
            .transform_filter("datum.value >= 0.06"),
            base.transform_filter("datum.n_hidden > 0")
            .transform_aggregate(groupby=["category", "category_order"], n="count()")
            .transform_calculate(label=f"'{HIDDEN_PART}'")
            .mark_text(align="left", dx=4, color=MUTED, fontSize=10)
            .encode(zero, category, alt.Text("label:N")),
        ]
    else:
        shown_filter = "datum.value !== null"
        layers = [
            base.mark_bar()
            .encode(value, category, offset, color, tooltip=tooltip)
            .transform_filter(shown_filter)
        ]
        side = {"align": "left", "dx": 3} if horizontal else {"baseline": "bottom", "dy": -2}
        # A negative bar (a change) has its label beyond its other end.
        other = {"align": "right", "dx": -3} if horizontal else {"baseline": "top", "dy": 2}
        layers.append(
            base.mark_text(fontSize=10, **side)
            .encode(value, category, offset, alt.Text("label:N"))
            .transform_filter(shown_filter + " && datum.value >= 0")
        )
        layers.append(
            base.mark_text(fontSize=10, **other)
            .encode(value, category, offset, alt.Text("label:N"))
            .transform_filter(shown_filter + " && datum.value < 0")
        )
        layers.append(base.mark_rule(color="#333333").encode(zero))
        layers.append(
            base.mark_text(fontSize=10, color=MUTED, **side)
            .encode(zero, category, offset, alt.Text("label:N"), tooltip=tooltip)
            .transform_filter("datum.value === null && datum.label")
        )
    size = {"width": width}
    if horizontal:
        size["height"] = alt.Step(step if stacked else max(step * 0.8, 12))
    else:
        size = {"height": 240, "width": alt.Step(step * 2)}
    spec = alt.layer(*layers).properties(**size).to_dict(validate=False)
    meta = {"chart": "bars", "stacked": stacked}
    return finish(spec, {"main": rows}, description or text, title, meta)


def prepare(
    rows: list[dict],
    *,
    stacked: bool = False,
    title: str = "",
    category_order: Sequence[str] | None = None,
    series_order: Sequence[str] | None = None,
    **_shape,
) -> tuple[list[dict], str]:
    """The ``main`` rows and the text alternative :func:`bar_chart` gives ``rows``.

    Keyword arguments that only shape the chart (``kind``, ``width``, …) are
    accepted and ignored, so a caller can pass the builder's own.
    """
    ordered = with_order(with_order(rows, "category", category_order), "series", series_order)
    main = records(ordered, COLUMNS)
    return main, _describe(title, main, stacked)


def _describe(title: str, rows: list[dict], stacked: bool) -> str:
    parts = []
    for cat in dict.fromkeys(r["category"] for r in rows):
        cells = [r for r in rows if r["category"] == cat]
        if len(cells) == 1:
            parts.append(f"{cat}: {shown(cells[0])}.")
        else:
            parts.append(f"{cat}: " + ", ".join(f"{r['series']} {shown(r)}" for r in cells) + ".")
    return describe("Gestapeld staafdiagram" if stacked else "Staafdiagram", title, parts)


__all__ = ["bar_chart", "prepare"]
