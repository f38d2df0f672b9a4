"""Charts: valid inline SVG, Dutch labels, hidden values never drawn."""

from __future__ import annotations

import xml.dom.minidom

import pytest

from werkmonitor.publish import charts, svgcharts


@pytest.mark.parametrize("module", [svgcharts, charts], ids=["svg", "matplotlib"])
def test_bar_chart_shows_masks_instead_of_hidden_values(module):
    svg = module.bar_chart(
        ["UWV", "Gemeente", "Overig"],
        {"Kwartaal 3 van 2024": [1234.0, None, 37.0]},
        {"Kwartaal 3 van 2024": [None, "<5", None]},
    )
    xml.dom.minidom.parseString(svg)  # well-formed, embeddable as-is
    assert svg.startswith("<svg")
    assert "1.234" in svg  # Dutch thousands separator
    assert "&lt;5" in svg
    assert "<script" not in svg and "<image" not in svg


@pytest.mark.parametrize("module", [svgcharts, charts], ids=["svg", "matplotlib"])
def test_percent_line_and_stacked_charts(module):
    line = module.line_chart(["K2 2024", "K3 2024"], {"Betaald werk": [0.365, 0.375]})
    xml.dom.minidom.parseString(line)
    assert "37,5%" in line and "36,5%" in line
    stacked = module.stacked_share_chart(
        ["IPS", "WABZ"], {"Met betaald werk": [0.41, None], "Nooit gewerkt": [0.59, 0.5]}
    )
    xml.dom.minidom.parseString(stacked)
    assert "41%" in stacked and "x (niet getoond)" in stacked


def test_svg_ticks_are_round_numbers():
    assert svgcharts._ticks(0, 1003) == [0, 250, 500, 750, 1000, 1250]
    assert svgcharts._ticks(-1, 88)[:2] == [-20, 0]
