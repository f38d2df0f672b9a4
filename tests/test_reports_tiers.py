"""Report tiers (interface.md v2): public reports hold national and regional figures
only; each organisation's report, outside the public directory, holds its own
figures unsuppressed next to the published ones, and its delivery."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest
from publish_fixtures import ORGS, build_warehouse

from werkmonitor.publish import publish, render_reports
from werkmonitor.publish.reports import organisation_path
from werkmonitor.reference import regions

QUARTER = "2024Q3"
CANARY = 987654.0


@pytest.fixture(scope="module")
def tiers(tmp_path_factory):
    base = tmp_path_factory.mktemp("tiers")
    warehouse = build_warehouse(base / "warehouse.duckdb")
    publish(warehouse, base / "published")
    with duckdb.connect(str(warehouse)) as con:
        (sub,) = con.execute(
            "select submission_id from audit.submissions where organisation_code = 'ORG02' "
            "and quarter = ?",
            [QUARTER],
        ).fetchone()
        con.execute(
            "create table audit.rejections as select ?::varchar submission_id, 'trajecten' sheet, "
            "12 source_row, 'startdatum' column_name, 'date_format' rule_code, "
            "'Startdatum is geen datum' message",
            [sub],
        )
        con.execute(
            "create table audit.quarantined_rows as select ?::varchar submission_id, "
            "'banen' sheet, 31 source_row, 'T-0042' traject_id, 'uren_per_week' column_name, "
            "'7777' as \"value\", 'hours_range' rule_code, 'Uren per week boven 60' message",
            [sub],
        )
        con.execute(
            "create table audit.quality_gate_results as select ?::varchar as quarter, "
            "timestamp '2024-10-16 08:00' as run_at, 'national_equals_sum' as gate, "
            "'quarterly_indicators' as target_table, 'blocking' as severity, true as success, "
            "0::bigint as unexpected_count, '' as message",
            [QUARTER],
        )
    public = base / "published"
    # A canary: an organisation row in the public file must never reach a public report.
    with duckdb.connect(str(public / "werkmonitor.duckdb")) as con:
        con.execute(
            "insert into quarterly_indicators (quarter, level, organisation_code, trajectory_type,"
            " financing, ips_scheme, ips_phase, indicator, numerator, value, is_suppressed) "
            "values (?, 'organisation', 'ORG01', 'ALL', 'ALL', 'ALL', 'ALL', 'running', ?, ?, "
            "false)",
            [QUARTER, CANARY, CANARY],
        )
    result = render_reports(public, QUARTER, warehouse, base / "organisations")
    assert result.failed == {}
    return base, warehouse, result


def text(path) -> str:
    """The page without its figures (chart data and tables), as the old SVGs were left out."""
    return re.sub(r"<figure\b.*?</figure>", "", path.read_text(encoding="utf-8"), flags=re.S)


def test_public_directory_holds_national_and_regional_reports_only(tiers):
    base, _, _ = tiers
    out = base / "published" / "reports" / QUARTER
    html = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert html == sorted([f"landelijk_{QUARTER}.html", *(f"regio/{c}.html" for c in regions())])
    for path in out.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert "987.654" not in page and "987654" not in page
        assert "Organisatierapport" not in page
    assert not any((base / "published").rglob("organisatierapport_*"))


def test_organisation_report_shows_its_small_cells_unsuppressed(tiers):
    base, warehouse, _ = tiers
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ttype, n = con.execute(
            "select trajectory_type, numerator from marts.quarterly_indicators "
            "where quarter = ? and level = 'organisation' and organisation_code = 'ORG06' "
            "and indicator = 'running' and financing = 'ALL' and ips_scheme = 'ALL' "
            "and ips_phase = 'ALL' and trajectory_type <> 'ALL' and numerator between 1 and 4 "
            "order by trajectory_type limit 1",
            [QUARTER],
        ).fetchone()
    page = text(organisation_path(base / "organisations", "ORG06", QUARTER))
    section = page.split("Eigen cijfers naast de gepubliceerde cijfers: ")
    table = next(s for s in section[1:] if s.startswith(_type_label(ttype)))
    own = re.search(r"<tr><td>Lopend</td><td class=\"num\">(.*?)</td>", table).group(1)
    assert own == str(int(n))


def _type_label(code: str) -> str:
    from werkmonitor.publish.reports.labels import trajectory_types

    return trajectory_types()[code]


def test_organisation_report_regions_are_the_published_regional_figures(tiers):
    base, _, result = tiers
    page = text(organisation_path(base / "organisations", "ORG06", QUARTER))
    with duckdb.connect(str(base / "published" / "werkmonitor.duckdb"), read_only=True) as con:
        shown = con.execute(
            "select coalesce(display_value, cast(numerator as int)::varchar) from "
            "quarterly_indicators where quarter = ? and level = 'region' and region_code = 'AM24' "
            "and trajectory_type = 'ALL' and financing = 'ALL' and ips_scheme = 'ALL' and "
            "ips_phase = 'ALL' and indicator = 'running'",
            [QUARTER],
        ).fetchone()[0]
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", page).group(1)
    columns = re.findall(r"<th>(.*?)</th>", header)
    assert columns[:3] == ["Indicator", "Eigen cijfers", "Landelijk"]
    assert "Zeeland" in columns
    row = re.search(r"<tr><td>Lopend</td>(.*?)</tr>", page).group(1)
    cells = re.findall(r"<td class=\"num\">(.*?)</td>", row)
    assert cells[columns.index("Zeeland") - 1] == shown.replace("<", "&lt;")


def test_organisation_report_lists_its_own_delivery_only(tiers):
    base, _, _ = tiers
    org02 = text(organisation_path(base / "organisations", "ORG02", QUARTER))
    assert '<td>trajecten</td><td class="num">12</td><td class="num">startdatum</td>' in org02
    assert "Startdatum is geen datum" in org02 and "Uren per week boven 60" in org02
    assert "T-0042" not in org02 and "7777" not in org02  # no row-level value, no id
    assert "national_equals_sum" in org02 and "geslaagd" in org02
    org01 = text(organisation_path(base / "organisations", "ORG01", QUARTER))
    assert "Startdatum is geen datum" not in org01
    assert "ORG02" not in org01  # nothing of another organisation
    assert "Vergelijkbare organisaties" not in org01


def test_every_catalogue_indicator_is_in_the_organisation_table(tiers):
    base, warehouse, _ = tiers
    from werkmonitor.publish.reports.labels import indicators

    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = {
            r[0]
            for r in con.execute(
                "select distinct indicator from marts.quarterly_indicators where quarter = ? "
                "and level = 'organisation' and organisation_code = 'ORG01' "
                "and trajectory_type = 'ALL' and financing = 'ALL' and ips_scheme = 'ALL' "
                "and ips_phase = 'ALL'",
                [QUARTER],
            ).fetchall()
        }
    page = text(organisation_path(base / "organisations", "ORG01", QUARTER))
    table = page.split("Eigen cijfers naast de gepubliceerde cijfers: ")[1]
    rows = re.findall(r"<tr><td>(.*?)</td>", table)
    expected = [i.label_nl for i in indicators() if i.code in present]
    assert [r for r in rows if r in expected] == expected
    assert len(present) > 20


def test_organisation_reports_of_organisations_gone_are_removed(tiers, tmp_path):
    base, warehouse, _ = tiers
    orgs = shutil.copytree(base / "organisations", tmp_path / "organisations")
    gone = orgs / "ORG99" / QUARTER / f"organisatierapport_ORG99_{QUARTER}.html"
    gone.parent.mkdir(parents=True)
    gone.write_text("old")
    render_reports(base / "published", QUARTER, warehouse, orgs)
    assert not gone.exists()
    assert all(organisation_path(orgs, o, QUARTER).exists() for o in ORGS)


def test_no_figure_below_the_public_level_but_its_own(tiers, tmp_path):
    """Canaries in the working warehouse: another organisation's row and an unsuppressed
    region row (the working warehouse has both). An organisation report reads only its
    own rows and the public file, so neither canary reaches any organisation report,
    while its own canary does."""
    base, warehouse, _ = tiers
    work = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, work)
    canaries = {"ORG02": 876543.0, "region": 765432.0, "ORG01": 654321.0}
    with duckdb.connect(str(work)) as con:
        for org in ("ORG01", "ORG02"):
            con.execute(
                "update marts.quarterly_indicators set numerator = ?, value = ? where "
                "quarter = ? and level = 'organisation' and organisation_code = ? and "
                "trajectory_type = 'ALL' and financing = 'ALL' and ips_scheme = 'ALL' and "
                "ips_phase = 'ALL' and indicator = 'running'",
                [canaries[org], canaries[org], QUARTER, org],
            )
        (regions_updated,) = con.execute(
            "select count(*) from marts.quarterly_indicators where quarter = ? and "
            "level = 'region' and indicator = 'running' and trajectory_type = 'ALL' and "
            "financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL'",
            [QUARTER],
        ).fetchone()
        con.execute(
            "update marts.quarterly_indicators set numerator = ?, value = ? where quarter = ? "
            "and level = 'region' and indicator = 'running' and trajectory_type = 'ALL' and "
            "financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL'",
            [canaries["region"], canaries["region"], QUARTER],
        )
    assert regions_updated > 0
    orgs = tmp_path / "organisations"
    result = render_reports(base / "published", QUARTER, work, orgs)
    assert result.failed == {}
    pages = {o: organisation_path(orgs, o, QUARTER).read_text("utf-8") for o in ORGS}
    assert "876.543" in pages["ORG02"] and "654.321" in pages["ORG01"]  # own, unsuppressed
    for org, page in pages.items():
        assert "765.432" not in page, org  # the working warehouse's region rows: never read
        if org != "ORG02":
            assert "876.543" not in page, org
        if org != "ORG01":
            assert "654.321" not in page, org
