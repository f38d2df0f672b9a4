"""``charts.figure`` (a spec per shape, rows swapped in) gives exactly the builder's spec,
and ``charts.data_table`` writes the figures a chart draws (and hides what it hides)."""

from __future__ import annotations

import pandas as pd
import pytest

from werkmonitor import charts


def _bars(n: int) -> list[dict]:
    return [
        {"category": c, "series": s, "value": v, "label": str(v), "reason": None}
        for c, s, v in [("IPS", "K2", 10.0 + n), ("IPS", "K3", 12.0), ("WABZ", "K3", 4.0 * n)]
    ]


def _lines(n: int) -> list[dict]:
    return [
        {"quarter": q, "series": "Betaald werk", "value": v, "label": "x", "reason": None}
        for q, v in [(f"K{n} 2024", 0.1 * n), (f"K{n + 1} 2024", None)]
    ]


def _cohort(n: int) -> list[dict]:
    return [
        {
            "series": "IPS-EPA",
            "month": m,
            "cumulative_share": 0.1 * m * n,
            "ci_lower": 0.0,
            "ci_upper": 0.2 * m,
            "at_risk": 100.0 - m,
        }
        for m in range(0, 2 + n)
    ]


CASES = [
    (charts.bar_chart, _bars, {"kind": "count", "horizontal": False, "series_order": ["K2", "K3"]}),
    (charts.bar_chart, _bars, {"kind": "share", "stacked": True, "category_order": ["WABZ"]}),
    (charts.quarter_lines, _lines, {"kind": "share"}),
    (charts.cohort_curve, _cohort, {"series_order": ["IPS-EPA"]}),
]


@pytest.mark.parametrize("builder, rows, kw", CASES, ids=["bars", "stacked", "lines", "cohort"])
def test_a_figure_equals_the_builders_own(builder, rows, kw):
    first, second = rows(1), rows(2)
    extra = {"quarters": [r["quarter"] for r in first]} if builder is charts.quarter_lines else {}
    charts.figure(builder, first, **kw, **extra)  # builds the shape
    if extra:  # the same shape over other quarters: the x domain is swapped in
        extra = {"quarters": [r["quarter"] for r in second]}
    again = charts.figure(builder, second, **kw, **extra)
    assert again == builder(pd.DataFrame(second), **kw, **extra)


def test_the_order_of_categories_is_data_not_shape():
    charts.figure(charts.bar_chart, _bars(1), category_order=["IPS", "WABZ"])
    spec = charts.figure(charts.bar_chart, _bars(1), category_order=["WABZ", "IPS"])
    assert spec == charts.bar_chart(pd.DataFrame(_bars(1)), category_order=["WABZ", "IPS"])
    assert [r["category_order"] for r in spec["datasets"]["main"]] == [1, 1, 0]


def test_figure_refuses_a_reference_line():
    ref = pd.DataFrame([{"quarter": "K1 2024", "series": "Landelijk", "value": 0.1, "label": "x"}])
    with pytest.raises(ValueError, match="call it directly"):
        charts.figure(charts.quarter_lines, _lines(1), reference=ref)


def test_data_table_of_grouped_bars_has_every_label_and_mask():
    rows = [
        {"category": "UWV", "series": "K2", "value": 1234.0, "label": "1.234"},
        {"category": "UWV", "series": "K3", "value": None, "label": "<5"},
        {"category": "Gemeente", "series": "K3", "value": 37.0, "label": "37"},
    ]
    spec = charts.figure(charts.bar_chart, rows, category_order=["UWV", "Gemeente"])
    assert charts.data_table(spec) == (
        ["Categorie", "K2", "K3"],
        [["UWV", "1.234", "<5"], ["Gemeente", "–", "37"]],
    )


def test_data_table_of_a_stacked_bar_hides_every_part_of_a_part_hidden_bar():
    rows = [
        {"category": "IPS", "series": "Met werk", "value": 0.41, "label": "41%"},
        {"category": "IPS", "series": "Nooit", "value": 0.59, "label": "59%"},
        {"category": "WABZ", "series": "Met werk", "value": None, "label": "x"},
        {"category": "WABZ", "series": "Nooit", "value": 0.5, "label": "50%"},
    ]
    spec = charts.figure(charts.bar_chart, rows, kind="share", stacked=True)
    # 50% would give the hidden part away (the parts sum to the whole): not written.
    assert charts.data_table(spec)[1] == [["IPS", "41%", "59%"], ["WABZ", "x", "x"]]


def test_data_table_of_lines_and_cohort_curves():
    lines = charts.figure(
        charts.quarter_lines,
        [
            {"quarter": "K2 2024", "series": "A", "value": 0.365, "label": "36,5%"},
            {"quarter": "K3 2024", "series": "A", "value": None, "label": "x"},
        ],
        quarters=["K2 2024", "K3 2024"],
    )
    assert charts.data_table(lines) == (["Kwartaal", "A"], [["K2 2024", "36,5%"], ["K3 2024", "x"]])
    curve = charts.cohort_curve(pd.DataFrame(_cohort(1)[:2]))
    header, body = charts.data_table(curve)
    assert header == ["Maand", "IPS-EPA", "IPS-EPA: 95%-interval", "IPS-EPA: nog in beeld"]
    assert body == [["0", "0,0%", "0,0% – 0,0%", "100"], ["1", "10,0%", "0,0% – 20,0%", "99"]]
