"""Render only what changed: a report whose input rows (and code) are unchanged
is skipped; drawing in two processes gives the same pages as drawing in one."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest
from publish_fixtures import ORGS, build_warehouse

from werkmonitor.publish import publish, render_reports
from werkmonitor.reference import regions

QUARTER = "2024Q3"
STAMP = re.compile(r"rapport gemaakt [^.]*\.")


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    base = tmp_path_factory.mktemp("incremental")
    warehouse = build_warehouse(base / "warehouse.duckdb")
    publish(warehouse, base / "published")
    result = render_reports(base / "published", QUARTER, warehouse, base / "orgs", workers=2)
    assert result.failed == {} and result.skipped == []
    return base, warehouse, result


def pages(root) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): STAMP.sub("", p.read_text(encoding="utf-8"))
        for p in sorted(root.rglob("*.html"))
    }


def test_unchanged_reports_are_skipped(first):
    base, warehouse, result = first
    n = 1 + len(regions()) + len(ORGS)
    assert len([p for p in result.written if p.suffix == ".html"]) == n
    before = {p: p.stat().st_mtime_ns for p in result.written}
    again = render_reports(base / "published", QUARTER, warehouse, base / "orgs")
    assert again.written == [] and again.failed == {}
    assert len(again.skipped) == n
    assert {p: p.stat().st_mtime_ns for p in result.written} == before


def test_a_changed_region_redraws_its_readers_only(first, tmp_path):
    base, warehouse, _ = first
    public = shutil.copytree(base / "published", tmp_path / "published")
    orgs = shutil.copytree(base / "orgs", tmp_path / "orgs")
    with duckdb.connect(str(public / "werkmonitor.duckdb")) as con:
        con.execute(
            "update quarterly_indicators set numerator = numerator + 1, value = value + 1 "
            "where quarter = ? and level = 'region' and region_code = 'AM05' "
            "and indicator = 'running' and not is_suppressed",
            [QUARTER],
        )
    result = render_reports(public, QUARTER, warehouse, orgs)
    redrawn = {p.relative_to(tmp_path).as_posix() for p in result.written if p.suffix == ".html"}
    # AM05's report, the national appendix, and the organisations working in AM05.
    with duckdb.connect(str(warehouse), read_only=True) as con:
        in_am05 = {
            o
            for (o,) in con.execute(
                "select distinct organisation_code from marts.fct_trajectory_quarters "
                "where quarter = ? and region_code = 'AM05'",
                [QUARTER],
            ).fetchall()
        }
    from werkmonitor.quarters import Quarter
    from werkmonitor.reference import organisation_regions

    in_am05 |= {
        e.organisation_code
        for e in organisation_regions()
        if e.region_code == "AM05" and e.is_valid(Quarter.parse(QUARTER))
    }
    in_am05 &= set(ORGS)
    assert in_am05 and in_am05 != set(ORGS)
    assert redrawn == {
        f"published/reports/{QUARTER}/landelijk_{QUARTER}.html",
        f"published/reports/{QUARTER}/regio/AM05.html",
        *(f"orgs/{o}/{QUARTER}/organisatierapport_{o}_{QUARTER}.html" for o in in_am05),
    }
    assert "regio/AM13" in result.skipped


@pytest.mark.parametrize("workers", [1, None], ids=["in-process", "with-a-forked-copy"])
def test_two_processes_draw_the_same_pages_as_one(first, tmp_path, workers, monkeypatch):
    from werkmonitor.publish.reports import render

    monkeypatch.setattr(render, "_idle_core", lambda: True)  # forks, as on an idle machine
    base, warehouse, _ = first
    public = shutil.copytree(base / "published", tmp_path / "published", ignore=_no_reports)
    serial = render_reports(public, QUARTER, warehouse, tmp_path / "orgs", workers=workers)
    assert serial.failed == {}
    assert pages(public / "reports") == pages(base / "published" / "reports")
    assert pages(tmp_path / "orgs") == pages(base / "orgs")


def _no_reports(directory, names):
    return [n for n in names if n == "reports"]


def _names() -> set[str]:
    return {"landelijk", *(f"regio/{c}" for c in regions()), *(f"organisatie/{o}" for o in ORGS)}


@pytest.mark.parametrize(
    "workers", [1, 2, None], ids=["in-process", "with-a-worker-process", "with-a-forked-copy"]
)
def test_progress_is_told_after_every_report(first, tmp_path, workers, monkeypatch):
    from werkmonitor.publish.reports import render

    monkeypatch.setattr(render, "MIN_JOBS_TO_FORK", 2)  # a fork for the few redrawn here
    monkeypatch.setattr(render, "_idle_core", lambda: True)  # as on an idle machine
    base, warehouse, _ = first
    public = shutil.copytree(base / "published", tmp_path / "published")
    orgs = shutil.copytree(base / "orgs", tmp_path / "orgs")
    for page in (public / "reports" / QUARTER / "regio").glob("AM1*.html"):
        page.unlink()  # these are drawn again, every other report is skipped
    calls: list[tuple[str, int, int]] = []
    result = render_reports(
        public, QUARTER, warehouse, orgs, workers=workers, progress=lambda *a: calls.append(a)
    )
    n = len(_names())
    redrawn = {f"regio/{c}" for c in regions() if c.startswith("AM1")}
    assert {p.stem for p in result.written} == {r.removeprefix("regio/") for r in redrawn}
    # Each report once, counted 1 … n of n, whether skipped or drawn (by whichever process).
    assert sorted(name for name, _, _ in calls) == sorted(_names())
    assert [(done, total) for _, done, total in calls] == [(i, n) for i in range(1, n + 1)]
    assert {name for name, _, _ in calls[-len(redrawn) :]} == redrawn  # skipped ones first
