"""Cohort curve: cumulative share by month since start, with its 95% band.

The Aalen–Johansen estimate is a step function, so the curve and its band are
drawn as steps. Under the curve a small table gives the (rounded) numbers at
risk every ``at_risk_every`` months per series, as in study 003's figures: a
reader sees how many trajectories the right-hand end of a curve rests on.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from werkmonitor.charts.theme import PALETTE, as_rows, describe, finish, records, with_order
from werkmonitor.formatting import fmt_count, fmt_pct

COLUMNS = [
    "series",
    "month",
    "cumulative_share",
    "ci_lower",
    "ci_upper",
    "at_risk",
    "label",
    "band_label",
    "at_risk_label",
    "series_order",
]


def _labelled(rows: list[dict]) -> list[dict]:
    """Rows with their labels (formatted here when the caller gave none)."""
    out = []
    for row in rows:
        row = dict(row)
        if "label" not in row:
            row["label"] = fmt_pct(row["cumulative_share"])
        if "band_label" not in row:
            row["band_label"] = f"{fmt_pct(row['ci_lower'])} – {fmt_pct(row['ci_upper'])}"
        row.setdefault("at_risk", None)
        if "at_risk_label" not in row:
            row["at_risk_label"] = fmt_count(row["at_risk"])
        out.append(row)
    return out


def prepare(
    rows: list[dict],
    *,
    title: str = "",
    series_order: Sequence[str] | None = None,
    at_risk_every: int = 6,
    **_shape,
) -> tuple[list[dict], str]:
    """The ``main`` rows and the text alternative :func:`cohort_curve` gives ``rows``."""
    main = records(with_order(_labelled(rows), "series", series_order), COLUMNS)
    return main, _describe(title, main, at_risk_every)


def cohort_curve(
    data: pd.DataFrame,
    *,
    title: str = "",
    description: str | None = None,
    series_order: Sequence[str] | None = None,
    at_risk_every: int = 6,
    max_month: int | None = None,
    width: int = 560,
    height: int = 220,
) -> dict:
    """Cumulative share by month since start for one or more series.

    ``data``: ``series``, ``month`` (0, 1, …), ``cumulative_share``,
    ``ci_lower``, ``ci_upper``, ``at_risk`` (without it, no row of numbers at
    risk is drawn); optional ``label``,
    ``band_label``, ``at_risk_label`` (formatted with
    :mod:`werkmonitor.formatting` when absent). Dataset: ``main``.
    """
    rows, text = prepare(
        as_rows(data), title=title, series_order=series_order, at_risk_every=at_risk_every
    )
    months = [r["month"] for r in rows]
    last = max_month if max_month is not None else int(max(months, default=0))
    x_scale = alt.Scale(domain=[0, max(last, 1)], nice=False)
    x = alt.X(
        "month:Q", title="Maanden sinds de start", scale=x_scale, axis=alt.Axis(tickMinStep=1)
    )

    def color() -> alt.Color:
        return alt.Color(
            "series:N",
            sort=alt.EncodingSortField(field="series_order", op="min"),
            scale=alt.Scale(range=PALETTE),
            legend=alt.Legend(title=None, symbolType="stroke", symbolStrokeWidth=3, labelLimit=360),
        )

    tooltip = [
        alt.Tooltip("series:N", title="Groep"),
        alt.Tooltip("month:Q", title="Maand"),
        alt.Tooltip("label:N", title="Aandeel"),
        alt.Tooltip("band_label:N", title="95%-interval"),
        alt.Tooltip("at_risk_label:N", title="Nog in beeld"),
    ]
    base = alt.Chart(alt.NamedData(name="main"))
    y = alt.Y(
        "cumulative_share:Q", title=None, axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=True)
    )
    curve = alt.layer(
        base.mark_area(interpolate="step-after", opacity=0.18).encode(
            x, alt.Y("ci_lower:Q"), alt.Y2("ci_upper:Q"), color()
        ),
        base.mark_line(interpolate="step-after", strokeWidth=2).encode(x, y, color()),
        base.mark_point(opacity=0, size=60).encode(x, y, color(), tooltip=tooltip),
    ).properties(width=width, height=height)
    at_risk = (
        base.transform_filter(f"datum.month % {int(at_risk_every)} === 0")
        .mark_text(fontSize=10)
        .encode(
            alt.X("month:Q", scale=x_scale, axis=None),
            alt.Y(
                "series:N",
                sort=alt.EncodingSortField(field="series_order", op="min"),
                title=None,
                axis=alt.Axis(domain=False, ticks=False, labelPadding=18),
            ),
            alt.Text("at_risk_label:N"),
            color(),
        )
        .properties(
            width=width,
            title=alt.TitleParams("Aantal nog in beeld", fontSize=10, fontWeight="normal"),
        )
    )
    if any(r["at_risk"] is not None for r in rows):
        chart = alt.vconcat(curve, at_risk, spacing=8).resolve_scale(x="shared", color="shared")
    else:  # no numbers at risk given: the curves alone
        chart = curve
    spec = chart.to_dict(validate=False)
    return finish(spec, {"main": rows}, description or text, title, {"chart": "cohort"})


def _describe(title: str, rows: list[dict], every: int) -> str:
    parts = []
    for name in dict.fromkeys(r["series"] for r in rows):
        points = [r for r in rows if r["series"] == name and r["month"] % every == 0]
        text = ", ".join(
            f"maand {r['month']} {r['label']} (95%-interval {r['band_label']}, "
            f"{r['at_risk_label']} nog in beeld)"
            for r in points
        )
        parts.append(f"{name}: {text}.")
    return describe("Cohortcurve (cumulatief aandeel per maand sinds de start)", title, parts)


__all__ = ["cohort_curve", "prepare"]
