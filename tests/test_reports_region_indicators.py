"""An indicator family the public file does not publish at region level
(``published_indicators``, ``region_indicators`` in the policy) is said in words in
the regional report, with the national figure named as national — never a grid of
``x``, never an absent row read as 0, never a chart of region cells that are not there."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from publish_fixtures import build_warehouse
from report_fixtures import figures

from werkmonitor.charts.published import PublishedBreakdowns
from werkmonitor.publish import publish, render_reports
from werkmonitor.publish.reports import labels
from werkmonitor.publish.reports.cells import Scope, not_published_here

QUARTER = "2024Q3"
PHRASE = "niet gepubliceerd op regioniveau"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The fixture warehouse published with the default policy (outflow, first
    job, activities, duration, employment and ratios national only), its reports."""
    base = tmp_path_factory.mktemp("region_indicators")
    warehouse = build_warehouse(base / "warehouse.duckdb")
    public = base / "published"
    publish(warehouse, public)
    result = render_reports(public, QUARTER)
    assert result.failed == {}
    with duckdb.connect(str(public / "werkmonitor.duckdb"), read_only=True) as con:
        table = con.execute("select * from quarterly_indicators where quarter = ?", [QUARTER]).df()
        listed = con.execute("select level, indicator, family from published_indicators").df()
    region = (
        table[(table["level"] == "region") & (table["trajectory_type"] == "IPS")]
        .groupby("region_code")
        .size()
        .idxmax()
    )
    return public / "reports" / QUARTER, table, listed, region


def _national(table: pd.DataFrame, indicator: str, ttype: str = "ALL") -> str:
    """The national cell's ``display_value`` in the file (``x`` / ``<5`` when hidden)."""
    row = table[
        (table["level"] == "national")
        & (table["trajectory_type"] == ttype)
        & (table["financing"] == "ALL")
        & (table["ips_scheme"] == "ALL")
        & (table["ips_phase"] == "ALL")
        & (table["indicator"] == indicator)
    ]
    assert len(row) == 1, indicator
    return row["display_value"].iloc[0]


def test_the_file_has_no_region_rows_of_an_unpublished_family(rendered):
    _, table, listed, _ = rendered
    region = set(listed.loc[listed["level"] == "region", "family"])
    assert region == {"counts", "outcomes"}
    families = {i.code: i.family for i in labels.indicators()}
    in_file = set(table.loc[table["level"] == "region", "indicator"].map(families))
    assert in_file <= region
    assert "outflow" in set(table.loc[table["level"] == "national", "indicator"].map(families))


def test_regional_report_names_the_national_figure(rendered):
    out, table, _, region = rendered
    html = (out / "regio" / f"{region}.html").read_text(encoding="utf-8")
    intended = _national(table, "ended_intended_result")
    assert (
        "Beëindigd met beoogd resultaat wordt niet gepubliceerd op regioniveau. Landelijk: "
        f"beëindigd met beoogd resultaat <strong>{intended}</strong>."
    ) in html
    education = _national(table, "education", "IPS")
    assert (
        "Opleiding, proefplaatsing, vrijwilligerswerk en arbeidsmatige dagbesteding worden "
        f"niet gepubliceerd op regioniveau. Landelijk: opleiding <strong>{education}</strong>;"
    ) in html
    # the published families keep their region figures: IPS paid work of the region
    paid = table[
        (table["region_code"] == region)
        & (table["trajectory_type"] == "IPS")
        & (table["financing"] == "ALL")
        & (table["indicator"] == "paid_work")
    ]["display_value"].iloc[0]
    assert f"(<strong>{paid}</strong>) betaald werk" in html


def test_time_to_first_job_is_the_national_chart_named_so(rendered):
    out, table, _, region = rendered
    html = (out / "regio" / f"{region}.html").read_text(encoding="utf-8")
    chart = [f for f in figures(html) if "Tijd tussen start" in f["caption"]]
    assert len(chart) == 1
    assert chart[0]["caption"].endswith("Landelijke cijfers.")
    codes = [i.code for i in labels.family("first_job") if i.code.startswith("first_job_days_")]
    # the figure's table: one row per band, the national figure (or its mask)
    drawn = [row[1] for row in chart[0]["table"][1:]]
    assert drawn == [_national(table, code, "IPS") for code in codes]
    # the national report draws the same national figures, without the note
    national = (out / f"landelijk_{QUARTER}.html").read_text(encoding="utf-8")
    own = [f for f in figures(national) if "Tijd tussen start" in f["caption"]]
    assert [row[1] for row in own[0]["table"][1:]] == drawn
    assert not own[0]["caption"].endswith("Landelijke cijfers.")
    assert PHRASE not in national


def test_no_status_at_outflow_grid_of_region_cells(rendered):
    out, _, _, region = rendered
    html = (out / "regio" / f"{region}.html").read_text(encoding="utf-8")
    outflow = [f for f in figures(html) if "Status bij uitstroom" in f["caption"]]
    assert outflow and all(f["caption"].endswith("Landelijke cijfers.") for f in outflow)
    assert "De status bij uitstroom wordt niet gepubliceerd op regioniveau. Landelijk:" in html


def test_an_unpublished_indicator_is_never_read_as_zero():
    published = PublishedBreakdowns(
        {("region", "IPS", "trajectory_type"), ("national", "IPS", "trajectory_type")},
        {("region", "running"), ("national", "running"), ("national", "education")},
    )
    frame = pd.DataFrame(
        [
            {
                "level": lv,
                "region_code": code,
                "trajectory_type": "IPS",
                "financing": "ALL",
                "ips_scheme": "ALL",
                "ips_phase": "ALL",
                "indicator": ind,
                "numerator": n,
                "value": v,
                "is_suppressed": False,
            }
            for lv, code, ind, n, v in (
                ("region", "AM18", "running", 180.0, 180.0),
                ("national", None, "running", 2400.0, 2400.0),
                ("national", None, "education", 300.0, 0.125),
            )
        ]
    )
    scope = Scope(frame, "region", "AM18", counts={"running"}, published=published)
    assert scope.get("running", "IPS").n == "180"
    edu = scope.get("education", "IPS")  # absent at region: not 0, not published
    assert (edu.n, edu.pct, edu.value, edu.numerator) == (PHRASE, PHRASE, None, None)
    # an indicator the listing does not know at any level is published (an older table)
    assert scope.get("started", "IPS").n == "0"
    note = not_published_here(scope, ["education"], "IPS")
    assert "".join(map(str, note)) == (
        "Opleiding wordt niet gepubliceerd op regioniveau. Landelijk: "
        "opleiding <strong>12,5%</strong>."
    )
    assert not_published_here(scope, ["running"], "IPS") is None
    assert not_published_here(scope.national(), ["education"], "IPS") is None
    assert published.unpublished_indicators("region") == ["education"]
    assert published.unpublished_indicators("national") == []
