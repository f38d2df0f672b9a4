"""Building the dashboard: what goes into ``<publish dir>/dashboard/``.

Every cell of the published file's public levels must be in the page's data
with the text the file shows (or its mask and reason), and nothing else: no
organisation level, no figure the file hides, nothing fetched from a network.
"""

from __future__ import annotations

import json
import re
import shutil

import duckdb
import pytest
from dashboard_fixtures import expected_cell, published_dir
from report_fixtures import restrict_region_breakdown

from werkmonitor.charts.published import REASONS_NL
from werkmonitor.dashboard import DashboardError, build_dashboard, dashboard_payload


@pytest.fixture(scope="module")
def publish_dir(tmp_path_factory):
    return published_dir(tmp_path_factory.mktemp("dashboard-build"))


@pytest.fixture(scope="module")
def payload(publish_dir):
    return dashboard_payload(publish_dir / "werkmonitor.duckdb")


def _rows(publish_dir, sql):
    con = duckdb.connect(str(publish_dir / "werkmonitor.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_public_cell_is_in_the_data_as_the_file_shows_it(publish_dir, payload):
    rows = _rows(
        publish_dir,
        """select quarter, level, region_code, trajectory_type, financing, ips_scheme, ips_phase,
                  indicator, is_suppressed, suppression_reason, display_value
           from quarterly_indicators where level in ('national', 'region')""",
    )
    assert rows
    index = {tuple(b): str(i) for i, b in enumerate(payload["breakdowns"])}
    quarters = payload["quarters"]
    seen = 0
    for q, level, region, t, f, s, p, indicator, hidden, reason, display in rows:
        place = "NL" if level == "national" else region
        cell = payload["cells"][indicator][place][index[(t, f, s, p)]][quarters.index(q)]
        if hidden:
            mask, code, text = payload["hidden"][cell]
            assert (mask, code, text) == (display, reason, REASONS_NL[reason])
        else:
            assert cell[0] == display
        seen += 1
    filled = sum(
        c is not None
        for by_place in payload["cells"].values()
        for by_breakdown in by_place.values()
        for series in by_breakdown.values()
        for c in series
    )
    assert filled == seen  # nothing in the data that is not a row of the file


def test_no_organisation_level(publish_dir, payload):
    organisations = _rows(
        publish_dir,
        "select distinct organisation_name from quarterly_indicators where level = 'organisation'",
    )
    places = {p for by_place in payload["cells"].values() for p in by_place}
    assert places <= {"NL"} | {code for code, _ in payload["regions"]}
    index = build_dashboard(publish_dir)
    text = "".join(f.read_text("utf-8") for f in index.parent.rglob("*.js") if f.name != "vega.js")
    for (name,) in organisations:
        assert name and name not in text


def test_changes_and_like_for_like_come_from_the_file(publish_dir, payload):
    (value, prev, change, lfl, lfl_prev, num, den) = _rows(
        publish_dir,
        """select display_value, previous_value, change_percentage_points, like_for_like_value,
                  like_for_like_previous_value, numerator, denominator
           from quarterly_indicators where level = 'national' and trajectory_type = 'IPS'
             and financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL'
             and indicator = 'paid_work' and quarter = '2024Q3'""",
    )[0]
    index = payload["breakdowns"].index(["IPS", "ALL", "ALL", "ALL"])
    cell = payload["cells"]["paid_work"]["NL"][str(index)][payload["quarters"].index("2024Q3")]
    # By hand: the fixture's national IPS paid work in 2024Q3.
    assert cell[0] == value == f"{num / den * 100:.1f}%".replace(".", ",")
    assert cell[1:3] == [f"{num:,.0f}".replace(",", "."), f"{den:,.0f}".replace(",", ".")]
    assert cell[3] == f"{prev * 100:.1f}%".replace(".", ",")
    assert cell[4] == f"{change:+.1f}".replace(".", ",")  # the page adds "procentpunt"
    if lfl is None:  # the public tier publishes no like-for-like figures (docs/publishing.md)
        assert len(cell) <= 5
    else:
        assert cell[5:7] == [f"{v * 100:.1f}%".replace(".", ",") for v in (lfl, lfl_prev)]


def test_build_is_offline_and_swaps_the_folder(publish_dir):
    first = build_dashboard(publish_dir)
    (first.parent / "stale.txt").write_text("old")
    index = build_dashboard(publish_dir)
    assert index == publish_dir / "dashboard" / "index.html"
    assert not (index.parent / "stale.txt").exists()
    assert not [p for p in publish_dir.iterdir() if p.name.startswith(".dashboard")]
    html = index.read_text("utf-8")
    assert not re.search(r"""(src|href)=["']https?:""", html)
    for script in re.findall(r'<script src="([^"]+)"', html):
        assert (index.parent / script).is_file(), script
    specs = (index.parent / "data" / "specs.js").read_text("utf-8")
    templates = json.loads(specs.split("=", 1)[1].rstrip(";\n"))
    assert {"line_share", "line_ref_count", "tiles_ratio", "ambition", "cohort"} <= set(templates)
    assert all("datasets" in spec and "description" in spec for spec in templates.values())


def test_size_stays_small(publish_dir):
    index = build_dashboard(publish_dir)
    sizes = {p.name: p.stat().st_size for p in index.parent.rglob("*") if p.is_file()}
    assert sum(sizes.values()) < 2_000_000  # two quarters; the demo's 11 are ~4 MB
    assert sizes["data.js"] < 100_000


def test_cohort_table_is_optional(tmp_path, publish_dir):
    without = published_dir(tmp_path, with_cohorts=False)
    assert dashboard_payload(without / "werkmonitor.duckdb")["cohorts"] is None
    assert not (build_dashboard(without).parent / "data" / "cohorts.js").exists()
    # With the table the curves are a script of their own, loaded after the first view.
    data = build_dashboard(publish_dir).parent / "data"
    assert (data / "cohorts.js").read_text("utf-8").startswith("window.WERKMONITOR_COHORTS=")
    assert '"has_cohorts":true' in (data / "data.js").read_text("utf-8")


def test_cohorts_shipped_from_the_latest_as_of_quarter(payload):
    cohorts = payload["cohorts"]
    assert cohorts["as_of"] == "2024Q3"
    assert cohorts["outcomes"] == [["paid_work", "Betaald werk"]]
    curve = cohorts["curves"]["NL|IPS|ALL|EPA|ALL|paid_work"]
    assert [r[0] for r in curve] == list(range(1, 25))
    assert curve[0][1] == "4,0%" and curve[0][4] == "380"  # 400 · 0,95 = 380


def test_missing_published_file_is_a_clear_error(tmp_path):
    with pytest.raises(DashboardError, match="no published file"):
        build_dashboard(tmp_path)
    con = duckdb.connect(str(tmp_path / "werkmonitor.duckdb"))
    con.execute(
        "create table quarterly_indicators (quarter varchar, level varchar, region_code varchar, "
        "trajectory_type varchar, financing varchar, ips_scheme varchar, ips_phase varchar, "
        "indicator varchar, is_suppressed boolean, suppression_reason varchar, "
        "display_value varchar, numerator double, denominator double)"
    )
    con.close()
    with pytest.raises(DashboardError, match="no national or regional figures"):
        build_dashboard(tmp_path)
    assert not (tmp_path / "dashboard").exists()


def test_indicator_unknown_to_the_catalogue_is_still_shown():
    import pandas as pd

    from werkmonitor.dashboard.compact import _indicators

    rows = pd.DataFrame(
        {
            "indicator": ["paid_work", "retired_indicator"],
            "indicator_label_nl": ["Betaald werk", "Oude indicator"],
            "denominator": [10.0, None],
        }
    )
    shown = {i["code"]: i for i in _indicators(rows)}
    assert shown["paid_work"]["family"] == "outcomes"
    assert shown["paid_work"]["numerator"].startswith("lopende trajecten met een baan")
    assert (shown["retired_indicator"]["label"], shown["retired_indicator"]["kind"]) == (
        "Oude indicator",
        "count",
    )


def test_unpublished_region_breakdown_is_named_not_filled(tmp_path, publish_dir, payload):
    """A file with ``published_breakdowns`` (issue 10 §2): the region × IPS-scheme rows
    deleted and unlisted. The page's data name that breakdown as unpublished at region
    level and hold no cell of it; a file without the table lists nothing."""
    assert payload["unpublished"] == {"national": [], "region": []}
    copy = tmp_path / "published"
    shutil.copytree(publish_dir, copy, ignore=shutil.ignore_patterns("dashboard", "reports"))
    assert restrict_region_breakdown(copy / "werkmonitor.duckdb", "IPS", "ips_scheme") > 0
    data = dashboard_payload(copy / "werkmonitor.duckdb")
    assert data["unpublished"] == {"national": [], "region": [["IPS", "ips_scheme"]]}
    assert data["unpublished_text"]["region"] == "niet gepubliceerd op regioniveau"
    schemes = {str(i) for i, b in enumerate(data["breakdowns"]) if b[0] == "IPS" and b[2] != "ALL"}
    assert schemes  # still published nationally
    for by_place in data["cells"].values():
        for place, by_breakdown in by_place.items():
            if place != "NL":
                assert not schemes & set(by_breakdown), place
    assert any(schemes & set(by_place.get("NL", {})) for by_place in data["cells"].values())


def test_unpublished_region_family_is_named_not_filled(tmp_path, payload):
    """The default policy publishes counts and outcomes at region level
    (``published_indicators``): the page's data name every other indicator as
    unpublished at region level and hold no region cell of it, while its
    national cells are the file's; a file of every family names none."""
    from werkmonitor.catalogue.indicators import indicators

    assert payload["unpublished_indicators"] == {"national": [], "region": []}
    public = published_dir(tmp_path, policy_text="")  # the default policy
    data = dashboard_payload(public / "werkmonitor.duckdb")
    national_only = sorted(i.code for i in indicators() if i.family not in ("counts", "outcomes"))
    assert data["unpublished_indicators"] == {"national": [], "region": national_only}
    for code in national_only:
        places = set(data["cells"].get(code, {}))
        assert places <= {"NL"}, code
    assert "NL" in data["cells"]["outflow"] and "AM18" in data["cells"]["running"]
    con = duckdb.connect(str(public / "werkmonitor.duckdb"), read_only=True)
    try:
        quarter = data["quarters"][-1]
        qi = data["quarters"].index(quarter)
        want = expected_cell(con, "NL", ["IPS", "ALL", "ALL", "ALL"], "outflow", quarter)
    finally:
        con.close()
    b = str(data["breakdowns"].index(["IPS", "ALL", "ALL", "ALL"]))
    got = data["cells"]["outflow"]["NL"][b][qi]
    shown = got[0] if isinstance(got, list) else data["hidden"][got][0]
    assert shown == want["value"]


def test_unchanged_file_keeps_the_folder_and_a_change_rebuilds_it(tmp_path, publish_dir):
    """Same file and code: the folder stays as built (no rebuild). A changed file,
    or a file changed inside the folder, builds it again."""
    copy = tmp_path / "published"
    shutil.copytree(publish_dir, copy, ignore=shutil.ignore_patterns("dashboard", "reports"))
    index = build_dashboard(copy)
    data = index.parent / "data" / "data.js"
    first = data.stat().st_mtime_ns
    assert build_dashboard(copy) == index
    assert data.stat().st_mtime_ns == first  # kept, not written again
    # Tampering with the built folder is noticed: it is built afresh.
    text = data.read_text("utf-8")
    assert '"Totaal"' in text
    data.write_text(text.replace('"Totaal"', '"Xotaal"'), "utf-8")
    build_dashboard(copy)
    assert data.read_text("utf-8") == text
    # A new figure in the published file reaches the page.
    with duckdb.connect(str(copy / "werkmonitor.duckdb")) as con:
        (q,) = con.execute("select max(quarter) from quarterly_indicators").fetchone()
        con.execute(
            "update quarterly_indicators set display_value = '4.242' where quarter = ? and "
            "level = 'national' and trajectory_type = 'ALL' and financing = 'ALL' and "
            "ips_scheme = 'ALL' and ips_phase = 'ALL' and indicator = 'running'",
            [q],
        )
    build_dashboard(copy)
    running = (index.parent / "data" / "indicators" / "running.js").read_text("utf-8")
    assert '"4.242"' in running
