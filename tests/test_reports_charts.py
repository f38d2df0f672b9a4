"""Report charts through the one chart grammar: specs that Vega draws with Dutch
labels, hidden values never in the data (their place carries the mask).

A report page draws each spec in the browser; here Vega draws it in-process
(vl-convert, the same Vega), so the drawn texts can be checked.
"""

from __future__ import annotations

import re
import xml.dom.minidom

from werkmonitor import charts
from werkmonitor.publish.reports import plots

TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")


def drawn(spec: dict) -> str:
    svg = charts.to_svg(spec)
    xml.dom.minidom.parseString(svg)  # Vega draws it: well-formed SVG
    return svg


def texts(spec: dict) -> list[str]:
    return TEXT.findall(drawn(spec))


def test_bar_chart_shows_masks_instead_of_hidden_values():
    spec = plots.bar_chart(
        ["UWV", "Gemeente", "Overig"],
        {"Kwartaal 3 van 2024": [1234.0, None, 37.0]},
        {"Kwartaal 3 van 2024": [None, "<5", None]},
    )
    labels = texts(spec)
    assert "1.234" in labels and "37" in labels  # Dutch thousands separator
    assert "&lt;5" in labels
    assert spec["description"].startswith("Staafdiagram. UWV: 1.234. Gemeente: <5 (niet getoond)")
    hidden = [r for r in spec["datasets"]["main"] if r["category"] == "Gemeente"]
    assert hidden == [
        {
            "category": "Gemeente",
            "series": "Kwartaal 3 van 2024",
            "value": None,
            "label": "<5",
            "reason": "Niet getoond: minder dan 5 personen, dan zijn mensen herkenbaar.",
            "category_order": 1,
            "series_order": 0,
        }
    ]


def test_percent_line_and_stacked_charts():
    line = texts(plots.line_chart(["K2 2024", "K3 2024"], {"Betaald werk": [0.365, 0.375]}))
    assert "37,5%" in line and "36,5%" in line and "K3 2024" in line
    stacked = texts(
        plots.stacked_share_chart(
            ["IPS", "WABZ"], {"Met betaald werk": [0.41, None], "Nooit gewerkt": [0.59, 0.5]}
        )
    )
    assert "41%" in stacked and "59%" in stacked and "x (niet getoond)" in stacked


def test_signed_change_bars_and_half_up_rounding():
    labels = texts(plots.bar_chart(["IPS", "WABZ"], {"Verschil": [-30.0, 5.0]}, signed=True))
    assert "-30" in labels and "+5" in labels
    assert "31,3%" in texts(plots.bar_chart(["IPS"], {"A": [0.3125]}, percent=True))


def test_cohort_chart_has_numbers_at_risk_under_the_curves():
    spec = plots.cohort_chart(
        {
            "IPS-EPA": [(1, 0.05, 0.03, 0.07, 120.0), (6, 0.2, 0.15, 0.25, 85.0)],
            "IPS-CMD": [(1, 0.04, 0.02, 0.06, 60.0)],
        }
    )
    labels = texts(spec)
    assert "Maanden sinds de start" in labels and "Aantal nog in beeld" in labels
    assert {"120", "85", "60"} <= set(labels)  # month 0 (start) and month 6
