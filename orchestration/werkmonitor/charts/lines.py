"""Indicator series over quarters: one line per series, gaps where hidden.

A hidden (suppressed) point is not drawn and the line breaks there; its mask
(``<5``/``x``) sits at the foot of the chart in the series' colour, with the
reason in the tooltip. The national figure can run beside regional series as
a dashed grey reference line.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from werkmonitor.charts.theme import (
    PALETTE,
    REFERENCE_COLOR,
    as_rows,
    describe,
    finish,
    records,
    shown,
    value_axis,
    with_order,
)

COLUMNS = ["quarter", "series", "value", "label", "reason", "series_order"]
REFERENCE_COLUMNS = ["quarter", "series", "value", "label"]


def _color() -> alt.Color:
    return alt.Color(
        "series:N",
        sort=alt.EncodingSortField(field="series_order", op="min"),
        scale=alt.Scale(range=PALETTE),
        legend=alt.Legend(title=None),
    )


def _tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("series:N", title="Reeks"),
        alt.Tooltip("quarter:O", title="Kwartaal"),
        alt.Tooltip("label:N", title="Waarde"),
        alt.Tooltip("reason:N", title="Niet getoond"),
    ]


def quarter_lines(
    data: pd.DataFrame,
    *,
    kind: str = "share",
    title: str = "",
    description: str | None = None,
    reference: pd.DataFrame | None = None,
    quarters: Sequence[str] | None = None,
    series_order: Sequence[str] | None = None,
    point_labels: bool = True,
    width: int = 640,
    height: int = 240,
) -> dict:
    """Line chart of one indicator over quarters.

    ``data``: columns ``quarter``, ``series``, ``value`` (None/NaN when hidden),
    ``label`` (the formatted value or mask), optional ``reason``.
    ``reference``: ``quarter``, ``series`` (e.g. ``Landelijk``), ``value``,
    ``label``. Datasets: ``main``, and ``reference`` when one is given (a
    spec built without a reference has no reference layer).
    """
    main, text = prepare(as_rows(data), title=title, series_order=series_order)
    x_scale = alt.Scale(domain=list(quarters)) if quarters else alt.Undefined
    x = alt.X("quarter:O", title=None, sort="ascending", scale=x_scale, axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=True), axis=alt.Axis(**value_axis(kind)))
    base = alt.Chart(alt.NamedData(name="main"))
    layers = [
        base.mark_line(invalid="break-paths-filter-domains", strokeWidth=2).encode(x, y, _color()),
        base.mark_point(filled=True, size=45, opacity=1)
        .encode(x, y, _color(), tooltip=_tooltip())
        .transform_filter("datum.value !== null"),
    ]
    if point_labels:
        layers.append(
            base.mark_text(dy=-9, fontSize=10)
            .encode(x, y, alt.Text("label:N"))
            .transform_filter("datum.value !== null")
        )
    ref_rows = records(reference, REFERENCE_COLUMNS) if reference is not None else []
    datasets = {"main": main}
    if ref_rows:
        # Only with rows: an empty legend breaks Vega's layout.
        datasets["reference"] = ref_rows
        ref = alt.Chart(alt.NamedData(name="reference"))
        layers.insert(
            0,
            ref.mark_line(
                color=REFERENCE_COLOR,
                strokeDash=[5, 3],
                strokeWidth=1.5,
                invalid="break-paths-filter-domains",
            ).encode(
                x,
                y,
                alt.StrokeDash(
                    "series:N", legend=alt.Legend(title=None), scale=alt.Scale(range=[[5, 3]])
                ),
                tooltip=[
                    alt.Tooltip("series:N", title="Referentie"),
                    alt.Tooltip("quarter:O", title="Kwartaal"),
                    alt.Tooltip("label:N", title="Waarde"),
                ],
            ),
        )
    masks = (
        base.mark_text(fontSize=11, fontWeight="bold", baseline="bottom")
        .encode(
            x,
            alt.Y("slot:Q", scale=alt.Scale(domain=[0, 20]), axis=None),
            _color(),
            alt.Text("label:N"),
            tooltip=_tooltip(),
        )
        .transform_filter("datum.value === null && datum.label")
        .transform_window(slot="row_number()", groupby=["quarter"])
    )
    values = alt.layer(*layers)
    # The masks sit in slots at the foot, on their own (hidden) y scale.
    chart = (
        alt.layer(values, masks)
        .properties(width=width, height=height)
        .resolve_scale(y="independent")
    )
    spec = chart.to_dict(validate=False)
    if ref_rows:
        text = _describe(title, main, ref_rows)
    return finish(spec, datasets, description or text, title, {"chart": "lines"})


def prepare(
    rows: list[dict],
    *,
    title: str = "",
    series_order: Sequence[str] | None = None,
    reference=None,
    **_shape,
) -> tuple[list[dict], str]:
    """The ``main`` rows and the text alternative :func:`quarter_lines` gives ``rows``.

    Without ``reference`` only: a reference line is data too, and a chart with
    one is built by :func:`quarter_lines` itself.
    """
    if reference is not None:
        raise ValueError("prepare() covers charts without a reference line")
    main = records(with_order(rows, "series", series_order), COLUMNS)
    return main, _describe(title, main, [])


def _describe(title: str, rows: list[dict], ref_rows: list[dict]) -> str:
    parts = []
    for name in dict.fromkeys(r["series"] for r in rows):
        points = ", ".join(f"{r['quarter']} {shown(r)}" for r in rows if r["series"] == name)
        parts.append(f"{name}: {points}.")
    for name in dict.fromkeys(r["series"] for r in ref_rows):
        points = ", ".join(f"{r['quarter']} {shown(r)}" for r in ref_rows if r["series"] == name)
        parts.append(f"Referentielijn {name}: {points}.")
    return describe("Lijndiagram per kwartaal", title, parts)


__all__ = ["prepare", "quarter_lines"]
