"""The chart grammar: specs from tidy data, rendered offline by vl-convert.

The SVG is read back for the texts a reader sees: hidden values must not be
drawn (their masks are), labels are the Dutch-formatted ones, and each chart
carries its text alternative.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from werkmonitor import charts
from werkmonitor.charts.theme import PALETTE, config
from werkmonitor.reference import regions


def _texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


def _line_paths(svg: str) -> list[str]:
    return re.findall(r'aria-roledescription="line mark" d="([^"]+)"', svg)


@pytest.fixture(scope="module")
def series():
    return pd.DataFrame(
        [
            {"quarter": "2024Q1", "series": "Twente", "value": 0.3125, "label": "31,3%"},
            {
                "quarter": "2024Q2",
                "series": "Twente",
                "value": None,
                "label": "x",
                "reason": "te kleine aantallen",
            },
            {"quarter": "2024Q3", "series": "Twente", "value": 0.41, "label": "41,0%"},
            {"quarter": "2024Q4", "series": "Twente", "value": 0.45, "label": "45,0%"},
        ]
    )


def test_line_breaks_at_a_hidden_point_and_shows_its_mask(series):
    reference = pd.DataFrame(
        [
            {"quarter": q, "series": "Landelijk", "value": 0.35, "label": "35,0%"}
            for q in ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
        ]
    )
    spec = charts.quarter_lines(series, reference=reference, title="Betaald werk")
    svg = charts.to_svg(spec)
    texts = _texts(svg)
    assert "31,3%" in texts and "45,0%" in texts and "x" in texts
    paths = _line_paths(svg)
    twente = [p for p in paths if p.count("M") == 2]
    assert len(twente) == 1, paths  # one run before the gap, one after
    # The reference line runs through all four quarters unbroken.
    assert any(p.count("M") == 1 and p.count("L") == 3 for p in paths)
    assert "Landelijk" in texts
    assert spec["datasets"]["main"][1]["value"] is None
    assert spec["description"].startswith("Lijndiagram per kwartaal: Betaald werk.")
    assert "2024Q2 x (niet getoond)" in spec["description"]
    assert "Referentielijn Landelijk" in spec["description"]
    assert 'role="img"' in svg and "<title>Lijndiagram" in svg


def test_specs_are_plain_json_with_named_datasets(series):
    spec = charts.quarter_lines(series)
    assert json.loads(json.dumps(spec)) == spec
    assert set(spec["datasets"]) == {"main"}
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    # Swapping the data draws the new rows: the template holds nothing else.
    swapped = json.loads(json.dumps(spec))
    swapped["datasets"]["main"] = [
        {
            "quarter": "2025Q1",
            "series": "Rijnmond",
            "value": 0.2,
            "label": "20,0%",
            "series_order": 0,
        }
    ]
    texts = _texts(charts.to_svg(swapped))
    assert "20,0%" in texts and "Rijnmond" in texts and "31,3%" not in texts


def test_grouped_bars_hide_suppressed_values():
    data = pd.DataFrame(
        [
            {"category": "UWV", "series": "2024Q3", "value": 1234, "label": "1.234"},
            {
                "category": "Gemeente",
                "series": "2024Q3",
                "value": None,
                "label": "<5",
                "reason": "klein aantal",
            },
            {"category": "Overig", "series": "2024Q3", "value": 40, "label": "40"},
        ]
    )
    spec = charts.bar_chart(data, kind="count", title="Lopend")
    svg = charts.to_svg(spec)
    assert svg.count('aria-roledescription="bar"') == 2
    texts = _texts(svg)
    assert "1.234" in texts and "<5" in [t.replace("&lt;", "<") for t in texts]
    assert (
        spec["description"]
        == "Staafdiagram: Lopend. UWV: 1.234. Gemeente: <5 (niet getoond). Overig: 40."
    )


def test_signed_bars_put_a_negative_label_before_its_bar():
    data = pd.DataFrame(
        [
            {"category": "UWV", "series": "s", "value": -0.031, "label": "-3,1%"},
            {"category": "Gemeente", "series": "s", "value": 0.02, "label": "+2,0%"},
        ]
    )
    svg = charts.to_svg(charts.bar_chart(data, kind="share"))
    anchors = dict(
        (text, anchor)
        for anchor, text in re.findall(r'text-anchor="(\w+)"[^>]*>([^<]+)</text>', svg)
    )
    assert anchors["-3,1%"] == "end" and anchors["+2,0%"] == "start"


def test_stacked_bar_with_a_hidden_part_is_drawn_empty():
    parts = ["Betaald werk", "Eerder gewerkt", "Nooit gewerkt"]
    rows = []
    for cat, values in {"IPS": [0.4, 0.25, 0.35], "WABZ": [None, 0.5, 0.3]}.items():
        for part, v in zip(parts, values, strict=True):
            rows.append(
                {
                    "category": cat,
                    "series": part,
                    "value": v,
                    "label": "x" if v is None else f"{v * 100:.1f}%".replace(".", ","),
                }
            )
    svg = charts.to_svg(charts.bar_chart(pd.DataFrame(rows), kind="share", stacked=True))
    # Only the three IPS parts are drawn: the visible WABZ parts would give the hidden one away.
    assert svg.count('aria-roledescription="bar"') == 3
    texts = _texts(svg)
    assert "x (niet getoond)" in texts and "50,0%" not in texts and "40,0%" in texts


def test_tile_grid_covers_every_region_once():
    assert set(charts.TILES) == set(regions())
    cells = {(col, row) for col, row, _ in charts.TILES.values()}
    assert len(cells) == len(charts.TILES)


def test_region_tiles_show_marks_and_masks():
    rows = []
    for i, (code, name) in enumerate(regions().items()):
        hidden = code == "AM24"
        rows.append(
            {
                "region_code": code,
                "region_name": name,
                "value": None if hidden else 0.2 + i / 100,
                "label": "x" if hidden else f"{20 + i},0%",
                "mark": "**" if code == "AM22" else ("*" if code == "AM05" else ""),
            }
        )
    spec = charts.region_tiles(pd.DataFrame(rows), title="Betaald werk")
    texts = _texts(charts.to_svg(spec))
    i22 = list(regions()).index("AM22")
    assert f"{20 + i22},0% **" in texts
    assert "x" in texts and "Zeeland" in texts
    assert "Zeeland: x (niet getoond)." in spec["description"]


def test_cohort_curve_has_band_and_numbers_at_risk():
    rows = []
    for series, n in (("EPA", 1200), ("CMD", 400)):
        for month in range(0, 13):
            share = month * 0.03
            rows.append(
                {
                    "series": series,
                    "month": month,
                    "cumulative_share": share,
                    "ci_lower": max(share - 0.02, 0),
                    "ci_upper": share + 0.02,
                    "at_risk": n - 50 * month,
                }
            )
    spec = charts.cohort_curve(pd.DataFrame(rows), title="Ooit betaald werk")
    svg = charts.to_svg(spec)
    texts = _texts(svg)
    assert {"1.200", "900", "600", "400", "100"} <= set(texts)  # months 0, 6, 12
    assert "1.150" not in texts  # month 1 is not in the at-risk row
    assert svg.count('aria-roledescription="area mark"') == 2
    assert "maand 6 18,0% (95%-interval 16,0% – 20,0%, 900 nog in beeld)" in spec["description"]


def test_every_builder_makes_a_valid_vega_lite_spec(series):
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    bars = pd.DataFrame([{"category": "A", "series": "s", "value": 1, "label": "1"}])
    tiles = pd.DataFrame(
        [
            {
                "region_code": "AM01",
                "region_name": "Groningen",
                "value": 0.5,
                "label": "50,0%",
                "mark": "",
            }
        ]
    )
    cohort = pd.DataFrame(
        [
            {
                "series": "s",
                "month": 1,
                "cumulative_share": 0.1,
                "ci_lower": 0.05,
                "ci_upper": 0.15,
                "at_risk": 100,
            }
        ]
    )
    reference = series.assign(series="Landelijk")
    specs = [
        charts.quarter_lines(series),
        charts.quarter_lines(series, reference=reference, kind="share"),
        charts.bar_chart(bars),
        charts.bar_chart(bars, stacked=True, kind="share"),
        charts.bar_chart(bars, horizontal=False),
        charts.region_tiles(tiles),
        charts.cohort_curve(cohort),
    ]
    schema = load_schema()
    for spec in specs:
        validate_jsonschema(spec, schema)


def test_palette_is_okabe_ito_and_used_as_category_range():
    assert PALETTE[:3] == ["#0072B2", "#E69F00", "#009E73"]
    assert len(set(PALETTE)) == len(PALETTE)
    assert config()["range"]["category"] == PALETTE


# Machado, Oliveira & Fernandes (2009), full severity, on linear RGB.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}  # fmt: skip


def _min_distance(palette: list[str], matrix) -> float:
    """Smallest CIE76 ΔE between two colours of ``palette`` as seen with a CVD."""
    import itertools

    import numpy as np

    def lab(hex_colour: str) -> np.ndarray:
        srgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
        linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
        seen = np.clip(np.array(matrix) @ linear, 0, 1)
        to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                           [0.0193, 0.1192, 0.9505]])  # fmt: skip
        xyz = to_xyz @ seen / np.array([0.95047, 1.0, 1.08883])
        f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
        return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])

    colours = [lab(c) for c in palette]
    return min(float(np.linalg.norm(a - b)) for a, b in itertools.combinations(colours, 2))


def test_series_colours_stay_apart_for_colour_blind_readers():
    # Every series colour but the last (yellow, for an eighth series only) stays
    # ≥ 15 ΔE from the others under each simulated deficiency; matplotlib's
    # tab10 (red next to green) falls to 4,6 under protanopia.
    for name, matrix in CVD.items():
        assert _min_distance(PALETTE[:7], matrix) >= 15, name
    tab10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
    assert _min_distance(tab10, CVD["protanopia"]) < 15


def test_png_rendering():
    data = pd.DataFrame([{"category": "A", "series": "s", "value": 1, "label": "1"}])
    png = charts.to_png(charts.bar_chart(data))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_javascript_bundle_is_offline():
    js = charts.javascript_bundle()
    assert "window.vegaEmbed=" in js and "window.vegaLite=" in js
    # Nothing is loaded from the network: no imports of URLs, no CDN.
    assert not re.search(r"""(import\(|from)\s*["']https?:""", js)
    assert "cdn.jsdelivr" not in js
