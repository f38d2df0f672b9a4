"""A breakdown the public file does not publish at region level (``published_breakdowns``,
the tier contract of issue 10 §2) is said in words in the regional report — never
drawn as 0, ``x`` or an empty chart — while a file without the table (published
before it existed) shows every breakdown, as before."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from publish_fixtures import build_warehouse
from report_fixtures import figures, restrict_region_breakdown

from werkmonitor.charts.published import PublishedBreakdowns
from werkmonitor.publish import publish, render_reports
from werkmonitor.publish.reports import labels
from werkmonitor.publish.reports.cells import Scope, share_of

QUARTER = "2024Q3"
PHRASE = "niet gepubliceerd op regioniveau"


def _region_with_schemes(path) -> str:
    """The region whose IPS scheme split the unrestricted file shows most of."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "select region_code from quarterly_indicators where quarter = ? and "
            "level = 'region' and trajectory_type = 'IPS' and ips_scheme <> 'ALL' and "
            "indicator = 'running' and not is_suppressed order by value desc, region_code "
            "limit 1",
            [QUARTER],
        ).fetchone()[0]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The same published file rendered twice: with every region breakdown and family
    published (a policy with ``region_breakdowns: all`` and ``region_indicators: all``,
    as files before the tier contract), then restricted."""
    base = tmp_path_factory.mktemp("breakdowns")
    warehouse = build_warehouse(base / "warehouse.duckdb")
    public = base / "published"
    policy = base / "every_breakdown.yml"
    policy.write_text("region_breakdowns: all\nregion_indicators: all\n", encoding="utf-8")
    publish(warehouse, public, policy_path=policy)
    path = public / "werkmonitor.duckdb"
    region = _region_with_schemes(path)
    before = render_reports(public, QUARTER)
    assert before.failed == {}
    out = public / "reports" / QUARTER
    shutil.copytree(out, base / "before")
    deleted = restrict_region_breakdown(path, "IPS", "ips_scheme")
    after = render_reports(public, QUARTER)
    assert after.failed == {}
    return base / "before", out, region, deleted, after


def _html(folder, name) -> str:
    return (folder / name).read_text(encoding="utf-8")


def _categories(html: str) -> list[set[str]]:
    return [{r.get("category") for r in f["spec"]["datasets"]["main"]} for f in figures(html)]


def test_fixture_deleted_region_scheme_rows(rendered):
    _, out, region, deleted, after = rendered
    assert deleted > 0
    # The restriction changed what the regional reports read: they are drawn again.
    assert f"regio/{region}" not in after.skipped


@pytest.mark.parametrize(
    "which",
    ["regional report, file without the table", "national report, restricted file"],
)
def test_published_scheme_split_is_shown(rendered, which):
    """Without ``published_breakdowns`` (an older file) every breakdown is published;
    nationally the restricted file still publishes the scheme split."""
    before, out, region, _, _ = rendered
    if which.startswith("regional"):
        html = _html(before, f"regio/{region}.html")
    else:
        html = _html(out, f"landelijk_{QUARTER}.html")
    schemes = set(labels.ips_schemes().values())
    assert PHRASE not in html
    assert any(schemes <= cats for cats in _categories(html))


def test_regional_report_says_scheme_split_is_not_published(rendered):
    _, out, region, _, _ = rendered
    html = _html(out, f"regio/{region}.html")
    schemes = set(labels.ips_schemes().values())
    fins = set(labels.financing_types().values())
    assert "; naar regeling: niet gepubliceerd op regioniveau." in html
    # The financing split is still published: its listing and its bars are there.
    assert "Lopende IPS-trajecten naar financiering: UWV <strong>" in html
    cats = _categories(html)
    assert any(fins <= c for c in cats)
    # No chart has a scheme category: no bar of 0, x or – stands for an unpublished cell.
    assert all(not (schemes & c) for c in cats)
    assert html.count("Een deel van de uitsplitsing is niet gepubliceerd op regioniveau") == 2
    # The phase split is published: it is still written with its numbers.
    assert "Naar fase: " in html and "Naar fase: niet" not in html


def test_scope_writes_the_sentence_never_a_number():
    published = PublishedBreakdowns(
        {("region", "IPS", "trajectory_type"), ("region", "IPS", "financing")}
    )
    import pandas as pd

    frame = pd.DataFrame(
        [
            {
                "level": "region",
                "region_code": "AM18",
                "trajectory_type": "IPS",
                "financing": f,
                "ips_scheme": s,
                "ips_phase": "ALL",
                "indicator": "running",
                "numerator": n,
                "value": n,
                "is_suppressed": False,
            }
            for f, s, n in (("ALL", "ALL", 180.0), ("UWV", "ALL", 60.0), ("ALL", "EPA", 99.0))
        ]
    )
    scope = Scope(frame, "region", "AM18", counts={"running"}, published=published)
    assert scope.get("running", "IPS").n == "180"
    assert scope.get("running", "IPS", "UWV").n == "60"
    # A row left in the file of an unlisted breakdown is not read either.
    epa = scope.get("running", "IPS", "ALL", "EPA")
    assert (epa.n, epa.pct, epa.value, epa.mask) == (PHRASE, PHRASE, None, PHRASE)
    assert share_of(epa, scope.get("running", "IPS")) == PHRASE
    assert scope.get("running", "IPS", "ALL", "ALL", "GOEDGEKEURD").n == PHRASE
    # Another type is not listed at all: its own rows are not published here.
    assert scope.get("running", "WABZ").n == PHRASE
    # Without the table (an older file) everything counts as published.
    open_scope = Scope(frame, "region", "AM18", counts={"running"})
    assert open_scope.get("running", "IPS", "ALL", "EPA").n == "99"
    assert open_scope.get("running", "WABZ").n == "0"
