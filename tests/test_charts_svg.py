"""The drop-in SVG functions (old ``svgcharts`` signatures, drawn by the grammar)."""

from __future__ import annotations

import inspect
import re

from werkmonitor.charts import svg


def _texts(text: str) -> list[str]:
    found = re.findall(r"<text[^>]*>(.*?)</text>", text)
    return [t.replace("&lt;", "<") for t in found]


def test_signatures_match_the_old_backend():
    old = {
        "bar_chart": ["categories", "series", "masks", "percent", "horizontal", "title", "signed"],
        "line_chart": ["periods", "series", "title"],
        "stacked_share_chart": ["categories", "parts", "title"],
        "cohort_chart": ["curves", "title"],
    }
    for name, params in old.items():
        assert list(inspect.signature(getattr(svg, name)).parameters) == params


def test_bars_show_formatted_values_and_masks():
    out = svg.bar_chart(
        ["UWV", "Gemeente"], {"2024Q3": [0.3125, None]}, {"2024Q3": [None, "x"]}, percent=True
    )
    texts = _texts(out)
    assert "31,3%" in texts and "x" in texts
    assert out.count('aria-roledescription="bar"') == 1
    signed = _texts(svg.bar_chart(["A", "B"], {"Verschil": [-167, 12]}, signed=True))
    assert "-167" in signed and "+12" in signed


def test_lines_and_stacked_shares():
    texts = _texts(svg.line_chart(["2024Q2", "2024Q3"], {"IPS": [0.4, None]}))
    assert "40,0%" in texts and "x" in texts
    texts = _texts(svg.stacked_share_chart(["IPS"], {"a": [0.25], "b": [0.75]}))
    assert "25%" in texts and "75%" in texts


def test_cohort_chart_with_and_without_numbers_at_risk():
    plain = svg.cohort_chart({"EPA": [(1, 0.05, 0.03, 0.07), (6, 0.2, 0.17, 0.23)]})
    assert "Aantal nog in beeld" not in plain
    with_risk = svg.cohort_chart({"EPA": [(1, 0.05, 0.03, 0.07, 1200), (6, 0.2, 0.17, 0.23, 900)]})
    texts = _texts(with_risk)
    assert "Aantal nog in beeld" in texts and "900" in texts and "1.200" not in texts
