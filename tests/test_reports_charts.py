"""Report charts through the one chart grammar: valid inline SVG, Dutch labels,
hidden values never drawn (their place carries the mask)."""

from __future__ import annotations

import re
import xml.dom.minidom

from werkmonitor.publish.reports import plots

TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")


def texts(svg: str) -> list[str]:
    xml.dom.minidom.parseString(svg)  # well-formed, embeddable as-is
    assert svg.startswith("<svg") and "<script" not in svg and "<image" not in svg
    return TEXT.findall(svg)


def test_bar_chart_shows_masks_instead_of_hidden_values():
    svg = plots.bar_chart(
        ["UWV", "Gemeente", "Overig"],
        {"Kwartaal 3 van 2024": [1234.0, None, 37.0]},
        {"Kwartaal 3 van 2024": [None, "<5", None]},
    )
    labels = texts(svg)
    assert "1.234" in labels and "37" in labels  # Dutch thousands separator
    assert "&lt;5" in labels
    assert 'aria-label="Staafdiagram. UWV: 1.234. Gemeente: &lt;5 (niet getoond)' in svg


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
    svg = plots.cohort_chart(
        {
            "IPS-EPA": [(1, 0.05, 0.03, 0.07, 120.0), (6, 0.2, 0.15, 0.25, 85.0)],
            "IPS-CMD": [(1, 0.04, 0.02, 0.06, 60.0)],
        }
    )
    labels = texts(svg)
    assert "Maanden sinds de start" in labels and "Aantal nog in beeld" in labels
    assert {"120", "85", "60"} <= set(labels)  # month 0 (start) and month 6


def _frames(n: int):
    import pandas as pd

    bars = pd.DataFrame(
        [
            {"category": c, "series": s, "value": v, "label": str(v), "reason": None}
            for c, s, v in [("IPS", "K2", 10.0 + n), ("IPS", "K3", 12.0), ("WABZ", "K3", 4.0 * n)]
        ]
    )
    lines = pd.DataFrame(
        [
            {"quarter": q, "series": "Betaald werk", "value": v, "label": "x", "reason": None}
            for q, v in [("K2 2024", 0.1 * n), ("K3 2024", None)]
        ]
    )
    cohort = pd.DataFrame(
        [
            {
                "series": "IPS-EPA",
                "month": m,
                "cumulative_share": 0.1 * m * n,
                "ci_lower": 0.0,
                "ci_upper": 0.2 * m,
                "at_risk": 100.0 - m,
            }
            for m in (0, 1, 2)
        ]
    )
    return bars, lines, cohort


def test_a_cached_spec_equals_the_builders_own():
    from werkmonitor import charts

    first, second = _frames(1), _frames(2)
    cases = [
        (charts.bar_chart, 0, {"kind": "count", "horizontal": False, "series_order": ["K2", "K3"]}),
        (charts.bar_chart, 0, {"kind": "share", "stacked": True, "category_order": ["WABZ"]}),
        (charts.quarter_lines, 1, {"kind": "share", "quarters": ["K2 2024", "K3 2024"]}),
        (charts.cohort_curve, 2, {"series_order": ["IPS-EPA"], "max_month": 2}),
    ]
    for builder, i, kw in cases:
        plots.cached_spec(builder, first[i], **kw)  # fills the cache
        assert plots.cached_spec(builder, second[i], **kw) == builder(second[i], **kw)
