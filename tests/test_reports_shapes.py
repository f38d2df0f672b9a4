"""Every chart and table copes with every shape of data (issue 11 §2).

Each test builds a tiny public file (and, for organisations, a tiny working
warehouse) with exactly the shape it names, renders the quarter and checks
that no report failed and what the page says.
"""

from __future__ import annotations

import re
import xml.dom.minidom

import pytest
from report_fixtures import (
    QUARTER,
    chart_texts,
    figures,
    hidden,
    public_file,
    row,
    submission,
    working_warehouse,
)

from werkmonitor import charts
from werkmonitor.publish import render_reports
from werkmonitor.publish.reports import organisation_path, plots

SVG_TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")


def drawn(spec: dict) -> str:
    """The spec drawn by Vega in-process (vl-convert), as the page's browser draws it."""
    svg = charts.to_svg(spec)
    xml.dom.minidom.parseString(svg)
    return svg


def render(tmp_path, rows, warehouse=None, **kw):
    public_file(tmp_path / "pub", rows, **kw)
    result = render_reports(tmp_path / "pub", QUARTER, warehouse, tmp_path / "orgs", workers=1)
    assert result.failed == {}
    return result, tmp_path / "pub" / "reports" / QUARTER


def national_html(out) -> str:
    return (out / f"landelijk_{QUARTER}.html").read_text(encoding="utf-8")


def svg_texts(html: str) -> list[str]:
    """Every text the page's charts draw."""
    return chart_texts(html)


def test_all_zeros(tmp_path):
    rows = [
        row("running", 0),
        row("running", 0, trajectory_type="IPS"),
        row("paid_work", 0, 0),
        row("paid_work", 0, 0, trajectory_type="IPS"),
        row("ever_paid_work", 0, 0, trajectory_type="IPS"),
        row("paid_work", 0, 0, trajectory_type="IPS", quarter="2024Q2"),
    ]
    _, out = render(tmp_path, rows, quarters=("2024Q2", QUARTER))
    html = national_html(out)
    assert "werden <strong>0</strong> mensen met psychische problemen" in html
    assert "Percentages betaald werk bij IPS-trajecten over de kwartalen." in html
    for chart in (
        plots.bar_chart(["IPS"], {"A": [0.0]}, horizontal=False),
        plots.bar_chart(["IPS"], {"A": [0.0]}, horizontal=True, signed=True),
        plots.line_chart(["K3 2024"], {"A": [0.0]}),
        plots.stacked_share_chart(["IPS"], {"a": [0.0], "b": [0.0]}),
        plots.cohort_chart({"A": [(1, 0.0, 0.0, 0.0, 20.0)]}),
    ):
        drawn(chart)


def test_all_suppressed_shows_masks_and_no_number(tmp_path):
    rows = [
        hidden("running", 3),
        hidden("running", 3, trajectory_type="IPS"),
        hidden("paid_work", 3, denominator=3, trajectory_type="IPS", reason="secondary"),
        hidden("started", 3),
        hidden("ended", 3),
    ]
    _, out = render(tmp_path, rows)
    html = national_html(out)
    assert "werden <strong>&lt;5</strong> mensen" in html
    assert "hadden <strong>&lt;5</strong> cliënten een lopend IPS-traject" in html
    assert "<strong>3</strong>" not in html
    assert "3" not in svg_texts(html) and "100,0%" not in svg_texts(html)
    assert "&lt;5" in svg_texts(html)
    # Nor in the rows the page hands to the browser (tooltips, tables): 3 people, 3/3.
    for fig in figures(html):
        for r in fig["spec"]["datasets"]["main"]:
            assert r["value"] not in (3, 1) and r["label"] not in ("3", "100,0%"), fig["caption"]


def test_one_period_and_no_previous_quarter(tmp_path):
    rows = [
        row("running", 40),
        row("running", 30, trajectory_type="IPS"),
        row("paid_work", 12, 30, trajectory_type="IPS"),
    ]
    _, out = render(tmp_path, rows)
    html = national_html(out)
    assert "Dit is niet te vergelijken met het vorige kwartaal (niet getoond)" in html
    line = next(f for f in figures(html) if "Percentages betaald" in f["caption"])
    svg = drawn(line["spec"])
    assert ">K3 2024<" in svg and ">40,0%<" in svg


def test_one_bar(tmp_path):
    svg = drawn(plots.bar_chart(["IPS"], {"Kwartaal 3": [12.0]}))
    assert svg.count('aria-roledescription="bar"') == 1 and ">12<" in svg


def test_negative_changes(tmp_path):
    rows = [
        row("running", 80, previous_value=100.0),
        row("running", 60, trajectory_type="IPS", previous_value=90.0),
        row("paid_work", 20, 80, previous_value=0.3),
    ]
    _, out = render(tmp_path, rows)
    html = national_html(out)
    assert "Dit is een <strong>daling van 20</strong> trajecten" in html
    assert "een <strong>daling van 5,0 procentpunt</strong>" in html
    assert "-30" in svg_texts(html)  # the change chart draws the IPS fall to the left
    assert "veranderd: <strong>-33,3%</strong>" in html


def test_shares_above_100_percent_in_a_small_cell(tmp_path):
    rows = [
        row("running", 6),
        row("running", 6, trajectory_type="WABZ"),
        row("ended", 4, trajectory_type="WABZ"),
        row("ended_with_paid_work", 5, 4, trajectory_type="WABZ"),
        row("ended_never_worked", 1, 4, trajectory_type="WABZ"),
        row("paid_work", 7, 6, trajectory_type="WABZ"),
        row("running", 2, trajectory_type="IPS"),
    ]
    _, out = render(tmp_path, rows)
    html = national_html(out)
    stacked = drawn(plots.stacked_share_chart(["WABZ"], {"a": [1.25], "b": [0.25]}))
    labels = SVG_TEXT.findall(stacked)
    assert {"125%", "25%", "150%"} <= set(labels)  # the axis reaches past the whole bar
    assert "Status bij uitstroom per type traject" in html
    assert "Betaald werk: <strong>7</strong> (116,7%)" in html
    assert "116,7%" in svg_texts(html)


def test_region_without_provider(tmp_path):
    rows = [row("running", 50)]
    comp = [
        {
            "quarter": QUARTER,
            "region_code": "AM01",
            "status": "no_provider",
            "mark": "**",
            "missing_organisations": [],
            "status_label_nl": "Geen aanbieder",
        }
    ]
    _, out = render(tmp_path, rows, completeness=comp)
    html = (out / "regio" / "AM01.html").read_text(encoding="utf-8")
    assert "** In deze regio is geen aanbieder actief." in html
    assert "Voor dit kwartaal zijn er geen gegevens aangeleverd." in html
    assert "<td>Groningen **</td>" in national_html(out)


def test_organisation_with_only_orientation_rows(tmp_path):
    org = dict(level="organisation", organisation_code="ORG01", trajectory_type="IPS")
    warehouse = working_warehouse(
        tmp_path / "wh.duckdb", [row("orientation", 7, **org)], submissions=[submission("ORG01")]
    )
    result, _ = render(tmp_path, [row("running", 50)], warehouse)
    path = organisation_path(tmp_path / "orgs", "ORG01", QUARTER)
    assert path in result.written
    html = path.read_text(encoding="utf-8")
    assert '<tr><td>Oriëntatie</td><td class="num">7</td>' in html
    assert "In kwartaal 3 van 2024 zijn geen lopende IPS-trajecten aangeleverd." in html


def test_quarter_with_one_organisation(tmp_path):
    _, out = render(tmp_path, [row("running", 12)], orgs=("ORG04",))
    assert "aangeleverd door <strong>1</strong> ggz-organisatie." in national_html(out)


@pytest.mark.parametrize("values", [[None, None], [0.0, None], [None, 0.5]])
def test_line_chart_with_gaps(values):
    drawn(plots.line_chart(["K2 2024", "K3 2024"], {"A": values}))
