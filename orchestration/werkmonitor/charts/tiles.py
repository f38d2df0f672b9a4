"""The 35 labour-market regions as a tile grid ("map"), coloured by a value.

A tile grid instead of a geographic map: every region gets the same area, so
small urban regions stay readable, and no boundary file (downloaded, licensed,
redrawn when CBS changes a border) is needed. Tiles keep the rough geography
(north at the top, Zeeland bottom left, Limburg bottom right). A region's
completeness mark (``*`` incomplete, ``**`` no provider) follows its figure;
a hidden figure is a grey tile with its mask and the reason in the tooltip.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from werkmonitor.charts.theme import SEQUENTIAL_SCHEME, as_rows, describe, finish, records

# region_code → (column, row, short name on the tile); full names in the tooltip.
TILES: dict[str, tuple[int, int, str]] = {
    "AM15": (3, 0, "N-Holland N"),
    "AM02": (5, 0, "Friesland"),
    "AM01": (6, 0, "Groningen"),
    "AM37": (2, 1, "Kennemerl."),
    "AM17": (3, 1, "Zaanstreek"),
    "AM11": (4, 1, "Flevoland"),
    "AM36": (5, 1, "Zwolle"),
    "AM03": (6, 1, "Drenthe"),
    "AM19": (1, 2, "H. Rijnland"),
    "AM18": (2, 2, "Amsterdam"),
    "AM12": (3, 2, "Gooi/Vecht"),
    "AM14": (4, 2, "Amersfoort"),
    "AM06": (5, 2, "Veluwe St."),
    "AM05": (6, 2, "Twente"),
    "AM21": (0, 3, "Haaglanden"),
    "AM34": (1, 3, "ZH Centraal"),
    "AM20": (2, 3, "M-Holland"),
    "AM13": (3, 3, "M-Utrecht"),
    "AM38": (4, 3, "FoodValley"),
    "AM07": (5, 3, "M-Gelderland"),
    "AM09": (6, 3, "Achterhoek"),
    "AM22": (1, 4, "Rijnmond"),
    "AM23": (2, 4, "Drechtsteden"),
    "AM35": (3, 4, "Gorinchem"),
    "AM10": (4, 4, "Rivierenland"),
    "AM08": (5, 4, "Nijmegen"),
    "AM24": (0, 5, "Zeeland"),
    "AM25": (1, 5, "W-Brabant"),
    "AM26": (2, 5, "M-Brabant"),
    "AM27": (3, 5, "NO-Brabant"),
    "AM29": (5, 5, "N-Limburg"),
    "AM28": (2, 6, "ZO-Brabant"),
    "AM32": (3, 6, "Helmond"),
    "AM33": (4, 6, "M-Limburg"),
    "AM30": (4, 7, "Z-Limburg"),
}
COLUMNS = ["region_code", "region_name", "value", "label", "mark", "reason", "status"]
TILE_W, TILE_H = 84, 48
HIDDEN_FILL = "#e6e6e6"


def tile_layout() -> list[dict]:
    """The grid as rows (dataset ``tiles``), joined to the data by region code."""
    return [
        {"region_code": code, "col": col, "row": row, "short": short}
        for code, (col, row, short) in TILES.items()
    ]


def region_tiles(
    data: pd.DataFrame,
    *,
    kind: str = "share",
    title: str = "",
    description: str | None = None,
    legend_title: str = "",
) -> dict:
    """Tile grid of the regions.

    ``data``: one row per region: ``region_code``, ``region_name``, ``value``
    (None when hidden or absent), ``label`` (formatted value or mask),
    ``mark`` (``''``, ``*``, ``**``), optional ``reason`` and ``status``.
    Datasets: ``main`` (the figures) and ``tiles`` (the fixed layout).
    """
    tiles = (
        alt.Chart(alt.NamedData(name="tiles"))
        .transform_lookup(
            lookup="region_code",
            from_=alt.LookupData(
                data=alt.NamedData(name="main"),
                key="region_code",
                fields=["region_name", "value", "label", "mark", "reason", "status"],
            ),
        )
        .transform_calculate(
            x0="datum.col",
            x1="datum.col + 0.95",
            y0="datum.row",
            y1="datum.row + 0.92",
            text="(datum.label || '–') + (datum.mark ? ' ' + datum.mark : '')",
            relative="datum.value",
        )
    )
    x = alt.X("x0:Q", axis=None, scale=alt.Scale(domain=[0, 7], nice=False))
    x2 = alt.X2("x1:Q")
    y = alt.Y("y0:Q", axis=None, scale=alt.Scale(domain=[0, 8], reverse=True, nice=False))
    y2 = alt.Y2("y1:Q")
    fmt = {"count": ",.0f", "share": ".0%", "ratio": ",.1f"}[kind]
    fill = alt.Color(
        "value:Q",
        scale=alt.Scale(scheme=SEQUENTIAL_SCHEME, zero=kind != "ratio"),
        legend=alt.Legend(title=legend_title or None, format=fmt, orient="right"),
    )
    tooltip = [
        alt.Tooltip("region_name:N", title="Regio"),
        alt.Tooltip("label:N", title="Waarde"),
        alt.Tooltip("mark:N", title="Markering"),
        alt.Tooltip("reason:N", title="Niet getoond"),
    ]
    # Light text on the dark upper part of the scale, dark text elsewhere
    # (the scale starts at 0 except for ratios).
    low = "datum.domainMin" if kind == "ratio" else "min(0, datum.domainMin)"
    dark = (
        "datum.value !== null && isValid(datum.value) && "
        f"datum.value > {low} + 0.5 * (datum.domainMax - {low})"
    )
    labelled = tiles.transform_joinaggregate(
        domainMin="min(value)", domainMax="max(value)"
    ).transform_calculate(cx="datum.col + 0.475", cy="datum.row + 0.46")
    text_color = alt.condition(dark, alt.value("white"), alt.value("#1d2b36"))
    cx = alt.X("cx:Q")
    layers = [
        # Grey under every tile: hidden and absent figures stay grey.
        tiles.mark_rect(stroke="white", strokeWidth=1, color=HIDDEN_FILL).encode(
            x, x2, y, y2, tooltip=tooltip
        ),
        tiles.mark_rect(stroke="white", strokeWidth=1).encode(
            x, x2, y, y2, color=fill, tooltip=tooltip
        ),
        labelled.mark_text(fontSize=9, dy=-8).encode(
            cx, alt.Y("cy:Q"), alt.Text("short:N"), color=text_color
        ),
        labelled.mark_text(fontSize=12, fontWeight="bold", dy=8).encode(
            cx, alt.Y("cy:Q"), alt.Text("text:N"), color=text_color, tooltip=tooltip
        ),
    ]
    spec = (
        alt.layer(*layers).properties(width=7 * TILE_W, height=8 * TILE_H).to_dict(validate=False)
    )
    rows, text = prepare(as_rows(data), title=title)
    datasets = {"main": rows, "tiles": tile_layout()}
    return finish(spec, datasets, description or text, title, {"chart": "tiles"})


def prepare(rows: list[dict], *, title: str = "", **_shape) -> tuple[list[dict], str]:
    """The ``main`` rows and the text alternative :func:`region_tiles` gives ``rows``."""
    main = records(rows, COLUMNS)
    return main, _describe(title, main)


def _describe(title: str, rows: list[dict]) -> str:
    ordered = sorted(rows, key=lambda r: r.get("region_name") or "")
    parts = []
    for r in ordered:
        label = r.get("label") or "geen gegevens"
        if r.get("value") is None and r.get("label"):
            label += " (niet getoond)"
        parts.append(f"{r['region_name']}{' ' + r['mark'] if r.get('mark') else ''}: {label}.")
    return describe("Regiokaart (tegels per arbeidsmarktregio)", title, parts)


__all__ = ["TILES", "prepare", "region_tiles", "tile_layout"]
