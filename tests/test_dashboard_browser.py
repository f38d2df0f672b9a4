"""The dashboard in a real browser (Debian's Chromium via Playwright).

The page is opened from the publish directory (``file://``, no server, no
network), driven through its form like a reader would, and every figure is read
from the DOM after each interaction and compared with SQL on the published
file. A tampered data file must make the comparison fail.
"""

from __future__ import annotations

import contextlib
import random
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from dashboard_fixtures import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    expected_cell,
    expected_regions,
    published_dir,
)

from werkmonitor.dashboard import build_dashboard

ARTIFACTS = Path(__file__).resolve().parents[1] / "target" / "artifacts"
FIGURE = ("value", "numerator", "denominator", "previous", "change")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    publish_dir = published_dir(tmp_path_factory.mktemp("dashboard-browser"))
    index = build_dashboard(publish_dir)
    return publish_dir, index


@pytest.fixture(scope="module")
def con(site):
    connection = duckdb.connect(str(site[0] / "werkmonitor.duckdb"), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium (Debian package; .ci/run installs it)")
    manager = sync_api.sync_playwright().start()
    try:
        chromium = manager.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
    except Exception as exc:  # pragma: no cover - depends on the machine
        manager.stop()
        pytest.skip(f"Chromium cannot be started: {exc}")
    yield chromium
    chromium.close()
    manager.stop()


@contextlib.contextmanager
def opened(browser, site, fragment: str = ""):
    """The site's dashboard in a fresh page (at ``fragment``), ready; on leaving, no
    script error and no request beyond the local files (the dashboard works offline)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(site[1].as_uri() + fragment)
        wait_ready(pg)
        yield pg
    finally:
        context.close()
    assert not errors, errors
    assert all(u.startswith(("file://", "blob:", "data:")) for u in requests), requests


def reading(site):
    """The site's published file, read-only, closed on leaving."""
    return contextlib.closing(duckdb.connect(str(site[0] / "werkmonitor.duckdb"), read_only=True))


@pytest.fixture()
def page(browser, site):
    with opened(browser, site) as pg:
        yield pg


def wait_ready(pg) -> None:
    pg.wait_for_function(
        "document.body.dataset.ready === 'true' && document.body.dataset.state === location.hash",
        timeout=20_000,
    )
    assert pg.get_attribute("body", "data-error") is None


def choose(pg, select: str, value: str) -> None:
    pg.select_option(select, value)
    wait_ready(pg)


def state(pg) -> dict:
    hash_ = pg.evaluate("location.hash")
    pairs = dict(p.split("=", 1) for p in hash_[1:].split("&"))
    place = pairs["regio"] if pairs["niveau"] == "regio" else "NL"
    breakdown = [pairs["type"], pairs["financiering"], pairs["regeling"], pairs["fase"]]
    return {
        "place": place,
        "breakdown": breakdown,
        "indicator": pairs["indicator"],
        "quarter": pairs["kwartaal"],
    }


def published_quarters(con) -> list[str]:
    sql = "select distinct quarter from quarterly_indicators order by 1"
    return [q for (q,) in con.execute(sql).fetchall()]


def mismatches(pg, con) -> list[str]:
    """Every difference between the page's figures and the published file."""
    s = state(pg)
    out = []
    want = expected_cell(con, s["place"], s["breakdown"], s["indicator"], s["quarter"])
    got = {k: pg.text_content(f"#figure-{k}").strip() for k in FIGURE}
    if want is None:
        if got["value"] != "–":
            out.append(f"{s}: no row in the file but the page shows {got['value']!r}")
    else:
        if got["value"] != want["value"]:
            out.append(f"{s}: value {got['value']!r} != file {want['value']!r}")
        if want["hidden"]:
            title = pg.get_attribute("#figure-value .value", "title") or ""
            reason = pg.text_content("#figure-reason")
            if not title or title not in reason:
                out.append(f"{s}: hidden cell without its reason ({title!r})")
        else:
            for key in ("numerator", "denominator", "previous", "change"):
                if got[key] != want[key]:
                    out.append(f"{s}: {key} {got[key]!r} != file {want[key]!r}")
            lfl = pg.text_content("#figure-lfl")
            if want["lfl"] and not lfl.startswith(want["lfl"] + " tegen"):
                out.append(f"{s}: like-for-like {lfl!r} lacks {want['lfl']!r}")
    # The series table: one row per published quarter.
    for quarter in published_quarters(con):
        cell = expected_cell(con, s["place"], s["breakdown"], s["indicator"], quarter)
        row = pg.locator(f'#series-table tbody tr[data-key="{quarter}"] td').first
        shown = row.text_content().strip()
        if shown != (cell["value"] if cell else "–"):
            out.append(f"{s}: series {quarter} {shown!r} != file {cell and cell['value']!r}")
    # The regions table under the tile grid.
    regions = expected_regions(con, s["breakdown"], s["indicator"], s["quarter"])
    for code, (mark, value) in regions.items():
        cells = pg.locator(f'#regions-table tbody tr[data-key="{code}"] td').all_text_contents()
        if cells[:2] != [mark, value]:
            out.append(f"{s}: region {code} {cells[:2]} != file {[mark, value]}")
    return out


def test_default_view_is_the_latest_quarter_nationally(page, con):
    quarters = published_quarters(con)
    s = state(page)
    assert s == {
        "place": "NL",
        "breakdown": ["IPS", "ALL", "ALL", "ALL"],
        "indicator": "paid_work",
        "quarter": quarters[-1],
    }
    assert mismatches(page, con) == []
    rows = page.locator("#series-table tbody tr").evaluate_all("rs => rs.map(r => r.dataset.key)")
    assert rows == quarters[::-1]
    # The line chart draws the series: its text alternative names every quarter.
    label = page.get_attribute("#series-chart", "aria-label")
    assert all(q in label for q in quarters)
    assert page.locator("#series-chart svg").count() == 1
    assert page.locator("#tiles-chart svg").count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)


def test_reader_changes_region_type_indicator_and_quarter(page, con):
    steps = [
        ("#level", "regio"),
        ("#region", "AM22"),  # incomplete: marked *, ORG07 missing
        ("#indicator", "running"),
        ("#quarter", "2024Q2"),
        ("#type", "ALL"),
        ("#fin", "UWV"),
        ("#region", "AM24"),  # small region: hidden cells
        ("#indicator", "paid_work"),
        ("#type", "IPS"),
        ("#scheme", "CMD"),
        ("#quarter", "2024Q3"),
        ("#level", "landelijk"),
        ("#indicator", "clients_per_fte"),
    ]
    for select, value in steps:
        choose(page, select, value)
        assert mismatches(page, con) == [], (select, value)
    choose(page, "#level", "regio")
    choose(page, "#region", "AM22")
    assert page.text_content("#figure-mark") == "*"
    note = page.text_content("#completeness-note")
    assert "ORG07" in note and "2 van 3" in note
    # clients_per_fte exists nationally for all IPS only: nothing to draw here.
    assert "Geen cijfers" in page.text_content("#series-chart")
    choose(page, "#scheme", "ALL")
    choose(page, "#indicator", "paid_work")
    # The national figure sits beside the regional one, as reference line and value.
    assert "Referentielijn Landelijk" in page.get_attribute("#series-chart", "aria-label")
    assert mismatches(page, con) == []


def test_hidden_cells_show_mask_and_reason(page, con):
    hidden = con.execute(
        """select region_code, trajectory_type, financing, ips_scheme, ips_phase, indicator,
                  quarter, display_value
           from quarterly_indicators
           where level = 'region' and is_suppressed and display_value = '<5'
           order by all limit 1"""
    ).fetchone()
    code, *breakdown, indicator, quarter, mask = hidden
    page.evaluate(
        "h => { location.hash = h; }",
        f"#niveau=regio&regio={code}&type={breakdown[0]}&financiering={breakdown[1]}"
        f"&regeling={breakdown[2]}&fase={breakdown[3]}&indicator={indicator}&kwartaal={quarter}",
    )
    wait_ready(page)
    assert page.text_content("#figure-value") == mask == "<5"
    assert "minder dan 5 personen" in page.get_attribute("#figure-value .mask", "title")
    assert not page.is_hidden("#figure-reason")
    assert mismatches(page, con) == []


def test_random_sample_of_views_matches_the_file(page, con):
    rows = con.execute(
        """select coalesce(region_code, 'NL'), trajectory_type, financing, ips_scheme, ips_phase,
                  indicator, quarter
           from quarterly_indicators where level in ('national', 'region')"""
    ).fetchall()
    for place, t, f, s, p, indicator, quarter in random.Random(13).sample(rows, 12):
        level = "landelijk" if place == "NL" else "regio"
        region = "" if place == "NL" else f"&regio={place}"
        page.evaluate(
            "h => { location.hash = h; }",
            f"#niveau={level}{region}&type={t}&financiering={f}&regeling={s}&fase={p}"
            f"&indicator={indicator}&kwartaal={quarter}",
        )
        wait_ready(page)
        assert mismatches(page, con) == []


def test_a_wrong_figure_in_the_page_is_caught(browser, site, con, tmp_path):
    copy = tmp_path / "published"
    shutil.copytree(site[0] / "dashboard", copy / "dashboard")
    data = copy / "dashboard" / "data" / "indicators" / "paid_work.js"
    latest = con.execute(
        """select display_value from quarterly_indicators where level = 'national'
           and trajectory_type = 'IPS' and financing = 'ALL' and ips_scheme = 'ALL'
           and ips_phase = 'ALL' and indicator = 'paid_work' order by quarter desc limit 1"""
    ).fetchone()[0]
    text = data.read_text("utf-8")
    assert f'["{latest}"' in text
    data.write_text(text.replace(f'["{latest}"', '["99,9%"', 1), "utf-8")
    pg = browser.new_page()
    pg.goto((copy / "dashboard" / "index.html").as_uri())
    wait_ready(pg)
    problems = mismatches(pg, con)
    pg.close()
    assert any("'99,9%'" in p for p in problems), problems


def test_view_is_shareable_through_the_url(page, site, con, browser):
    choose(page, "#level", "regio")
    choose(page, "#region", "AM18")
    choose(page, "#indicator", "running")
    link = page.get_attribute("#share-link", "href")
    assert link == page.evaluate("location.hash")
    other = browser.new_page()
    other.goto(site[1].as_uri() + link)
    wait_ready(other)
    assert other.text_content("#figure-title") == page.text_content("#figure-title")
    assert other.input_value("#region") == "AM18"
    assert mismatches(other, con) == []
    other.close()


def test_a_broken_link_falls_back_to_valid_choices(page, con):
    page.evaluate(
        "h => { location.hash = h; }",
        "#niveau=planeet&regio=AM99&type=IPS&financiering=NOPE&indicator=bogus"
        "&kwartaal=1999Q1&vergelijk=alles&cohortstart=1800",
    )
    wait_ready(page)
    s = state(page)
    assert s["place"] == "NL" and s["indicator"] == "paid_work"
    assert s["breakdown"] == ["IPS", "ALL", "ALL", "ALL"]
    assert mismatches(page, con) == []


def test_csv_download_holds_the_table(page):
    with page.expect_download() as info:
        page.click('button.csv[data-table="series-table"]')
    with open(info.value.path(), encoding="utf-8-sig", newline="") as handle:
        lines = handle.read().strip().split("\r\n")
    assert lines[0].startswith("Kwartaal;Waarde;Teller;Noemer")
    first = page.locator("#series-table tbody tr").first
    assert lines[1].split(";")[:2] == [
        first.locator("th").text_content(),
        first.locator("td").first.text_content(),
    ]


def test_definition_is_one_click_away(page, con):
    assert not page.locator("#definition").evaluate("d => d.open")
    page.click("#show-definition")
    assert page.locator("#definition").evaluate("d => d.open")
    from werkmonitor.catalogue.indicators import by_code

    paid_work = by_code()["paid_work"]
    assert page.text_content("#definition-numerator") == paid_work.numerator_nl
    assert page.text_content("#definition-denominator") == paid_work.denominator_nl
    assert page.text_content("#definition-text") == paid_work.definition


def test_keyboard_only_reader_can_change_the_view(page, con):
    page.focus("#level")
    page.keyboard.press("ArrowDown")  # a focused <select> changes with the arrow keys
    wait_ready(page)
    assert state(page)["place"] != "NL"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "region"
    order = []
    page.focus("#level")
    for _ in range(8):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id"))
    assert order[:4] == ["region", "type", "fin", "scheme"]
    assert mismatches(page, con) == []


def test_every_control_has_a_label_and_charts_a_text_alternative(page):
    unlabeled = page.evaluate(
        "() => [...document.querySelectorAll('select')]"
        ".filter(s => !s.labels.length).map(s => s.id)"
    )
    assert unlabeled == []
    for chart in ("#series-chart", "#tiles-chart", "#ambition-chart"):
        assert page.get_attribute(chart, "role") in ("img", "graphics-document")
        assert len(page.get_attribute(chart, "aria-label")) > 40


def test_regional_ambition_matches_the_file(page, con):
    quarter = state(page)["quarter"]
    from werkmonitor.formatting import fmt_count, fmt_pct

    rows = con.execute(
        """select region_code, display_value, yearly_target, share_of_target, is_suppressed
           from regional_ambition where quarter = ?""",
        [quarter],
    ).fetchall()
    assert rows
    for code, display, target, share, hidden in rows:
        cells = page.locator(f'#ambition-table tbody tr[data-key="{code}"] td').all_text_contents()
        assert cells[1] == (fmt_count(target) if target is not None else "–"), code
        assert cells[2] == display, code
        assert cells[3] == ("x" if hidden else fmt_pct(share) if share is not None else "–"), code


def test_cohort_curves_from_the_public_table(page, con):
    assert page.is_visible("#cohorts")
    # By default: all IPS trajectories nationally; 1 - 0,955^6 = 24,14% by month 6.
    assert "maand 6 24,1%" in page.get_attribute("#cohort-chart", "aria-label")
    choose(page, "#cohort-compare", "ips_scheme")
    rows = con.execute(
        """select ips_scheme, month, cumulative_share, at_risk from cohort_outcomes
           where level = 'national' and trajectory_type = 'IPS' and financing = 'ALL'
             and start_cohort = 'ALL' and outcome = 'paid_work' and ips_scheme <> 'ALL'
           order by month"""
    ).fetchall()
    from werkmonitor.formatting import fmt_count, fmt_pct

    header = page.locator("#cohort-table thead th").all_text_contents()
    epa = header.index(next(h for h in header if h.startswith("IPS-EPA")))
    for scheme, month, share, at_risk in rows:
        cells = page.locator(f'#cohort-table tbody tr[data-key="{month}"] > *').all_text_contents()
        col = epa if scheme == "EPA" else epa + 3
        assert cells[col] == fmt_pct(share) and cells[col + 2] == fmt_count(at_risk), month
    assert re.search(r"maand 6 [\d,]+%", page.get_attribute("#cohort-chart", "aria-label"))


def test_cohort_view_is_hidden_without_the_table(browser, tmp_path):
    publish_dir = published_dir(tmp_path, with_cohorts=False)
    pg = browser.new_page()
    pg.goto(build_dashboard(publish_dir).as_uri())
    wait_ready(pg)
    assert pg.is_hidden("#cohorts")
    pg.close()


@pytest.fixture(scope="module")
def restricted_site(tmp_path_factory, site):
    """The same published file with region × IPS scheme not published (issue 10 §2)."""
    from report_fixtures import restrict_region_breakdown

    base = tmp_path_factory.mktemp("dashboard-restricted") / "published"
    shutil.copytree(site[0], base, ignore=shutil.ignore_patterns("dashboard", "reports"))
    assert restrict_region_breakdown(base / "werkmonitor.duckdb", "IPS", "ips_scheme") > 0
    return base, build_dashboard(base)


def test_unpublished_region_breakdown_is_said_in_words(browser, restricted_site):
    view = "#niveau=landelijk&type=IPS&regeling=CMD"
    with opened(browser, restricted_site, view) as pg, reading(restricted_site) as con:
        # Nationally the scheme split is published: the figure is the file's.
        s = state(pg)
        want = expected_cell(con, "NL", s["breakdown"], s["indicator"], s["quarter"])
        assert pg.text_content("#figure-value").strip() == want["value"]
        # The tile grid of that breakdown would be 35 empty regions: a sentence instead.
        tiles = pg.text_content("#tiles-chart")
        assert "niet gepubliceerd op regioniveau" in tiles
        assert pg.locator("#tiles-chart svg").count() == 0
        for value in pg.locator("#regions-table tbody tr td:nth-child(3)").all_text_contents():
            assert value == "niet gepubliceerd op regioniveau"
        choose(pg, "#level", "regio")
        choose(pg, "#region", "AM18")
        assert pg.text_content("#figure-value").strip() == "niet gepubliceerd op regioniveau"
        reason = pg.text_content("#figure-reason")
        assert "niet gepubliceerd op regioniveau" in reason
        assert pg.locator("#series-chart svg").count() == 0
        assert "niet gepubliceerd op regioniveau" in pg.text_content("#series-chart")
        for row in pg.locator("#series-table tbody tr").all():
            assert row.locator("td").first.text_content() == "niet gepubliceerd op regioniveau"
        # The national figure beside it is still the published one.
        national = expected_cell(
            con, "NL", ["IPS", "ALL", "CMD", "ALL"], "paid_work", state(pg)["quarter"]
        )
        assert pg.text_content("#figure-national").strip() == national["value"]
        # The financing split is published at region level: a figure as the file shows it.
        choose(pg, "#scheme", "ALL")
        choose(pg, "#fin", "UWV")
        assert mismatches(pg, con) == []
        assert pg.locator("#tiles-chart svg").count() == 1


@pytest.fixture(scope="module")
def family_site(tmp_path_factory):
    """The fixture warehouse published with the default policy: outflow (and the
    other families but counts and outcomes) national only (issue 10, round 6)."""
    publish_dir = published_dir(tmp_path_factory.mktemp("dashboard-families"), policy_text="")
    return publish_dir, build_dashboard(publish_dir)


def test_unpublished_region_indicator_is_said_with_the_national_figure(browser, family_site):
    view = "#niveau=regio&regio=AM18&type=IPS&indicator=outflow"
    with opened(browser, family_site, view) as pg, reading(family_site) as con:
        s = state(pg)
        assert (s["place"], s["indicator"]) == ("AM18", "outflow")
        assert pg.text_content("#figure-value").strip() == "niet gepubliceerd op regioniveau"
        national = expected_cell(con, "NL", s["breakdown"], "outflow", s["quarter"])
        assert pg.text_content("#figure-reason").strip() == (
            "Deze indicator is niet gepubliceerd op regioniveau; alleen het landelijke cijfer "
            f"wordt gepubliceerd (landelijk: {national['value']})."
        )
        # no line of empty quarters, no tile grid of 35 blanks: a sentence each
        assert pg.locator("#series-chart svg").count() == 0
        assert "deze indicator is niet gepubliceerd" in pg.text_content("#series-chart")
        assert pg.locator("#tiles-chart svg").count() == 0
        assert "deze indicator is niet gepubliceerd" in pg.text_content("#tiles-chart")
        # a published family of the same region: the file's figure
        choose(pg, "#indicator", "paid_work")
        assert mismatches(pg, con) == []
        # nationally the outflow figure is the file's
        choose(pg, "#indicator", "outflow")
        choose(pg, "#level", "landelijk")
        assert pg.text_content("#figure-value").strip() == national["value"]
