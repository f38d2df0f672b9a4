"""A report that cannot be drawn fails on its own; every other report still appears."""

from __future__ import annotations

import shutil
import xml.dom.minidom

import duckdb
import pytest
from publish_fixtures import ORGS, build_warehouse

from werkmonitor import charts
from werkmonitor.publish import publish, render_reports
from werkmonitor.publish.reports import organisation_path, plots
from werkmonitor.publish.reports.document import CURRENT
from werkmonitor.reference import regions

QUARTER = "2024Q3"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    base = tmp_path_factory.mktemp("failures")
    warehouse = build_warehouse(base / "warehouse.duckdb")
    publish(warehouse, base / "published")
    return base, warehouse


def _failing_line_chart(monkeypatch, region: str) -> None:
    original = plots.line_chart

    def line_chart(periods, series):
        if CURRENT["job"] == f"regio/{region}":
            raise ZeroDivisionError("float division by zero")
        return original(periods, series)

    monkeypatch.setattr(plots, "line_chart", line_chart)


def _count_forks(monkeypatch) -> list:
    """The names each forked copy was given (the fork itself is real)."""
    from werkmonitor.publish.reports import render

    calls: list = []
    original = render.fork_worker

    def fork_worker(names):
        calls.append(names)
        return original(names)

    monkeypatch.setattr(render, "fork_worker", fork_worker)
    monkeypatch.setattr(render, "_idle_core", lambda: True)  # as on an idle machine
    return calls


@pytest.mark.parametrize(
    "workers, inject",
    [(1, "monkeypatch"), (2, "environment"), (None, "environment")],
    ids=["in-process", "with-a-worker-process", "with-a-forked-copy"],
)
def test_a_failing_chart_fails_only_its_region(published, monkeypatch, workers, inject, tmp_path):
    base, warehouse = published
    public = shutil.copytree(base / "published", tmp_path / "published")
    if inject == "monkeypatch":
        _failing_line_chart(monkeypatch, "AM13")
        reason = "ZeroDivisionError: float division by zero"
    else:  # a spawned worker does not see a monkeypatch; it sees the environment
        monkeypatch.setenv(plots.FAIL_ENV, "regio/AM13")
        reason = f"ZeroDivisionError: chart of regio/AM13 made to fail ({plots.FAIL_ENV})"
    out = public / "reports" / QUARTER
    stale = out / "regio" / "AM13.html"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("old figures")  # from an earlier render: must not stay behind
    orgs = tmp_path / "organisations"
    forks = _count_forks(monkeypatch)
    result = render_reports(public, QUARTER, warehouse, orgs, workers=workers)
    assert len(forks) == (1 if workers is None else 0)
    assert result.failed == {"regio/AM13": reason}
    assert not stale.exists()
    written = set(result.written)
    assert out / f"landelijk_{QUARTER}.html" in written
    assert {out / "regio" / f"{c}.html" for c in regions() if c != "AM13"} <= written
    assert {organisation_path(orgs, o, QUARTER) for o in ORGS} <= written
    # The next run draws it again (the failure left no digest), and only it.
    monkeypatch.undo()
    again = render_reports(public, QUARTER, warehouse, orgs, workers=workers)
    assert again.failed == {}
    assert again.written == [out / "regio" / "AM13.html"]


def test_an_all_zero_line_chart_draws():
    spec = plots.line_chart(["K2 2024", "K3 2024"], {"Betaald werk": [0.0, 0.0]})
    svg = charts.to_svg(spec)  # the spec the page draws, drawn by Vega in-process
    xml.dom.minidom.parseString(svg)
    assert svg.count(">0,0%<") == 2  # both points drawn and labelled


def test_all_zero_paid_work_renders_every_report(tmp_path):
    """The shape of issue 11: every paid-work share is 0 in every quarter and level."""
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.quarterly_indicators set numerator = 0, value = 0, previous_value = 0, "
            "previous_numerator = 0 where indicator in "
            "('paid_work', 'sustainable_paid_work', 'ever_paid_work') "
            # Nobody in paid work: nobody found a first job either (else the
            # disclosure audit rightly refuses the file: the bands give counts away).
            "or indicator like 'first_job%'"
        )
    publish(warehouse, tmp_path / "published")
    result = render_reports(tmp_path / "published", QUARTER, warehouse, tmp_path / "orgs")
    assert result.failed == {}
    assert len([p for p in result.written if p.suffix == ".html"]) == 1 + len(regions()) + len(ORGS)
    national = tmp_path / "published" / "reports" / QUARTER / f"landelijk_{QUARTER}.html"
    assert "<h3>Betaald werk en opleiding</h3>" in national.read_text()
