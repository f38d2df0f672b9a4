"""Dutch quarterly reports: public ones from the published (suppressed) file,
organisation ones from the working warehouse beside the published figures."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import duckdb
import pytest
from publish_fixtures import ORGS, build_warehouse
from report_fixtures import figures

from werkmonitor import charts
from werkmonitor.charts.theme import PALETTE
from werkmonitor.publish import publish, render_reports
from werkmonitor.publish.reports import CHROMIUM, ReportError, chromium_flags, organisation_path
from werkmonitor.publish.reports.labels import trajectory_types
from werkmonitor.reference import regions

QUARTER = "2024Q3"


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    base = tmp_path_factory.mktemp("reports")
    warehouse = build_warehouse(base / "warehouse.duckdb")
    result = publish(warehouse, base / "published")
    reports = render_reports(base / "published", QUARTER, warehouse, base / "organisations")
    assert reports.failed == {}
    return warehouse, result, reports.written, base / "published" / "reports" / QUARTER


def org_report(out: Path, code: str) -> Path:
    return organisation_path(out.parents[2] / "organisations", code, QUARTER)


def mart(
    warehouse: Path,
    indicator: str,
    ttype: str = "ALL",
    level: str = "national",
    region: str | None = None,
    column: str = "numerator",
):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            f"select {column} from marts.quarterly_indicators where quarter = ? and level = ? "
            "and coalesce(region_code, '') = ? and trajectory_type = ? and financing = 'ALL' "
            "and ips_scheme = 'ALL' and ips_phase = 'ALL' and indicator = ?",
            [QUARTER, level, region or "", ttype, indicator],
        ).fetchone()[0]
    finally:
        con.close()


def dutch_int(n: float) -> str:
    return f"{int(round(n)):,}".replace(",", ".")


def dutch_pct(num: float, den: float) -> str:
    return f"{100 * num / den:.1f}".replace(".", ",") + "%"


def text_of(path: Path) -> str:
    """The page without its figures (chart data and tables)."""
    html = path.read_text(encoding="utf-8")
    return re.sub(r"<figure\b.*?</figure>", "", html, flags=re.S)


def test_all_reports_are_written(rendered):
    _, _, files, out = rendered
    national = out / f"landelijk_{QUARTER}.html"
    assert national in files
    assert {p.stem for p in (out / "regio").glob("*.html")} == set(regions())
    assert not (out / "organisatie").exists()  # organisation reports are not public
    assert {org_report(out, o) for o in ORGS} <= set(files)
    pdf = out / f"landelijk_{QUARTER}.pdf"
    if CHROMIUM.exists():
        assert pdf in files and pdf.read_bytes()[:5] == b"%PDF-"
    else:
        assert not pdf.exists()


def test_national_report_key_numbers_equal_the_mart(rendered):
    warehouse, _, _, out = rendered
    text = text_of(out / f"landelijk_{QUARTER}.html")
    running = mart(warehouse, "running")
    previous = mart(warehouse, "running", column="previous_numerator")
    ips = mart(warehouse, "running", "IPS")
    word = "stijging" if running > previous else "daling"
    assert (
        f"werden <strong>{dutch_int(running)}</strong> mensen met psychische problemen "
        f"begeleid naar betaald werk, waarvan <strong>{dutch_pct(ips, running)}</strong> "
        f"met IPS. Dit is een <strong>{word} van {dutch_int(abs(running - previous))}"
        "</strong>"
    ) in text
    assert f"aangeleverd door <strong>{len(ORGS)}</strong> ggz-organisaties" in text
    assert f"<strong>{dutch_int(mart(warehouse, 'started'))}</strong> cliënten startten" in text
    paid = mart(warehouse, "paid_work")
    assert (
        f"hadden <strong>{dutch_int(paid)}</strong> cliënten "
        f"(<strong>{dutch_pct(paid, running)}</strong>) een reguliere betaalde baan"
    ) in text
    ended, intended = mart(warehouse, "ended"), mart(warehouse, "ended_intended_result")
    assert (
        f"beëindigden <strong>{dutch_int(ended)}</strong> cliënten hun traject, waarvan "
        f"<strong>{dutch_int(intended)}</strong> (<strong>{dutch_pct(intended, ended)}"
        "</strong>) met het beoogde resultaat"
    ) in text
    assert f"hadden <strong>{dutch_int(ips)}</strong> cliënten een lopend IPS-traject" in text
    fte_num = mart(warehouse, "clients_per_fte", "IPS")
    fte_den = mart(warehouse, "clients_per_fte", "IPS", column="denominator")
    fte = f"{fte_num / fte_den:.1f}".replace(".", ",")
    assert f"werden <strong>{fte}</strong> cliënten per fte" in text


def test_report_structure_follows_the_published_report(rendered):
    _, _, _, out = rendered
    html = (out / f"landelijk_{QUARTER}.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings == [
        "Inleiding en algemene resultaten",
        "Resultaten IPS-trajecten",
        "Jobcoaching",
        "UWV Werkfit- en Naar Werk-trajecten",
        "Werk als Beste Zorg",
        "Overige trajecten naar werk",
        "Uitkomsten naar tijd sinds de start",
        "Bijlage. Resultaten per arbeidsmarktregio",
    ]
    for sub in (
        "Aantal IPS-trajecten",
        "Financiering, regeling en fase",
        "Capaciteit trajectbegeleiding",
        "Betaald werk en opleiding",
        "Tijd tot eerste baan",
        "Uitstroom",
        "Duur dienstverband",
    ):
        assert f"<h3>{sub}</h3>" in html
    assert len(figures(html)) >= 10
    assert 'lang="nl"' in html


def _bundle_src(page: Path) -> Path:
    """The one script a page loads: the chart bundle of its tier's folder, by a relative path."""
    html = page.read_text(encoding="utf-8")
    sources = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]*)\"", html)
    assert len(sources) == 1 and not re.match(r"^[a-z]+:|^/", sources[0]), sources
    # Nothing else fetched: no stylesheet, image or frame; no http URL.
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html)
    assert "http://" not in html.replace("http://www.w3.org", "")
    bundle = (page.parent / sources[0]).resolve()
    assert bundle.read_text(encoding="utf-8").startswith(charts.render.bundle_header())
    return bundle


def test_reports_load_only_their_tiers_bundle(rendered):
    _, _, _, out = rendered
    public = out.parent / "assets" / "vega.js"
    assert _bundle_src(out / f"landelijk_{QUARTER}.html") == public.resolve()
    assert _bundle_src(out / "regio" / "AM24.html") == public.resolve()
    for org in ORGS:  # each organisation's folder works on its own
        page = org_report(out, org)
        assert _bundle_src(page) == (page.parents[1] / "assets" / "vega.js").resolve()


def test_every_figure_is_a_chart_vega_draws(rendered):
    _, _, _, out = rendered
    for page in (out / f"landelijk_{QUARTER}.html", org_report(out, "ORG01")):
        found = figures(page.read_text(encoding="utf-8"))
        assert [f["caption"][: len(f"Figuur {i}.")] for i, f in enumerate(found, 1)] == [
            f"Figuur {i}." for i in range(1, len(found) + 1)
        ]
        for fig in found:
            spec = fig["spec"]
            assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
            assert len(spec["description"]) > 20 and spec["datasets"]["main"]
            svg = charts.to_svg(spec)  # the same Vega as the reader's browser
            assert "<text" in svg and "<path" in svg, fig["caption"]
            # The table under the chart is the chart's own rows, as labelled.
            header, rows = charts.data_table(spec)
            assert fig["table"] == [header, *rows]


def test_national_figures_carry_the_published_values(rendered):
    _, result, _, out = rendered
    html = (out / f"landelijk_{QUARTER}.html").read_text(encoding="utf-8")
    first = figures(html)[0]
    assert first["caption"].startswith("Figuur 1. Verdeling aantal lopende trajecten")
    with duckdb.connect(str(result.path), read_only=True) as con:
        published = con.execute(
            "select trajectory_type, numerator, is_suppressed, display_value "
            "from quarterly_indicators where quarter = ? and level = 'national' "
            "and financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL' "
            "and indicator = 'running' and trajectory_type <> 'ALL'",
            [QUARTER],
        ).fetchall()
    names = trajectory_types()
    bars = {r["category"]: r for r in first["spec"]["datasets"]["main"]}
    assert set(bars) == set(names.values())
    assert published and any(not hidden for _, _, hidden, _ in published)
    for ttype, numerator, hidden, display in published:
        bar = bars.pop(names[ttype])
        if hidden:
            assert bar["value"] is None and bar["label"] == display
        else:
            assert bar["value"] == numerator and bar["label"] == dutch_int(numerator)
    # A type the file has no row for is 0 people.
    assert all(b["value"] == 0 and b["label"] == "0" for b in bars.values())


def test_suppressed_cells_stay_hidden_in_reports(rendered):
    warehouse, _, _, out = rendered
    # Zeeland (AM24): a tiny region in the fixture.
    running = mart(warehouse, "running", level="region", region="AM24")
    assert 1 <= running <= 4
    text = text_of(out / "regio" / "AM24.html")
    assert "werden <strong>&lt;5</strong> mensen" in text
    assert f"<strong>{int(running)}</strong> mensen" not in text
    # The appendix marks incomplete regions * and regions without provider **.
    national = text_of(out / f"landelijk_{QUARTER}.html")
    assert "<td>Rijnmond *</td>" in national  # ORG07 is registered there, never delivers
    assert "<td>Zeeland</td>" in national  # ORG06 delivers from Q3 on
    assert "<td>Groningen **</td>" in national
    assert "<td>Groot Amsterdam</td>" in national
    groningen = text_of(out / "regio" / "AM01.html")
    assert "** In deze regio is geen aanbieder actief." in groningen
    assert "Voor dit kwartaal zijn er geen gegevens aangeleverd." in groningen


def test_reports_are_stamped_with_the_data_version(rendered):
    _, result, _, out = rendered
    con = duckdb.connect(str(result.path), read_only=True)
    version = con.execute(
        "select distinct data_version from publication where quarter = ?", [QUARTER]
    ).fetchone()[0]
    con.close()
    for path in (out / f"landelijk_{QUARTER}.html", org_report(out, "ORG01")):
        html = path.read_text(encoding="utf-8")
        assert f'name="werkmonitor-publication-id" content="{result.publication_id}"' in html
        assert f'name="werkmonitor-data-version" content="{version}"' in html
        assert "ORG01 ORG01_2024Q3.xlsx" in html


def test_organisation_report_shows_own_figures_next_to_published_ones(rendered):
    warehouse, result, _, out = rendered
    text = text_of(org_report(out, "ORG01"))
    assert "Vergelijking met de landelijke en regionale cijfers" in text
    assert "Vergelijkbare organisaties" not in text  # no peer figures below the public level
    con = duckdb.connect(str(warehouse), read_only=True)
    own = con.execute(
        "select numerator, denominator from marts.quarterly_indicators where quarter = ? "
        "and level = 'organisation' and organisation_code = 'ORG01' and trajectory_type = 'ALL' "
        "and financing = 'ALL' and indicator = 'paid_work'",
        [QUARTER],
    ).fetchone()
    con.close()
    pub = duckdb.connect(str(result.path), read_only=True)
    national = pub.execute(
        "select display_value from quarterly_indicators where quarter = ? and level = 'national' "
        "and trajectory_type = 'ALL' and financing = 'ALL' and ips_scheme = 'ALL' "
        "and ips_phase = 'ALL' and indicator = 'paid_work'",
        [QUARTER],
    ).fetchone()[0]
    pub.close()
    table = text.split("Eigen cijfers naast de gepubliceerde cijfers: Alle trajecten")[1]
    row = re.search(r"<tr><td>Betaald werk</td>(.*?)</tr>", table).group(1)
    cells = re.findall(r"<td class=\"num\">(.*?)</td>", row)
    assert cells[0] == f"{dutch_pct(*own)} ({dutch_int(own[0])})"
    assert cells[1] == national


def test_unknown_quarter_is_refused(rendered):
    _, result, _, _ = rendered
    with pytest.raises(ReportError, match="2023Q1 is not in the published file"):
        render_reports(result.path.parent, "2023Q1")


def _distinct_colours(png: Path) -> int:
    import matplotlib.image as mpimg
    import numpy as np

    pixels = (mpimg.imread(png)[..., :3] * 255).astype("uint8").reshape(-1, 3)
    return len(np.unique(pixels, axis=0))


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package)")
def test_headless_screenshot_is_not_blank(rendered, tmp_path):
    _, _, _, out = rendered
    png = tmp_path / "landelijk.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                str(CHROMIUM),
                *chromium_flags(profile),
                f"--screenshot={png}",
                "--window-size=1200,3000",
                "--virtual-time-budget=10000",  # the charts are drawn by the page's script
                (out / f"landelijk_{QUARTER}.html").as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    assert png.exists() and png.stat().st_size > 20_000
    assert _distinct_colours(png) > 50


def _pdf_fill_colours(pdf: Path) -> set[str]:
    """The fill colours (``r g b rg``) the PDF's page content paints with."""
    import zlib

    data = pdf.read_bytes()
    colours = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        colours |= {m.decode() for m in re.findall(rb"[\d.]+ [\d.]+ [\d.]+ rg", content)}
    return colours


def _pdf_colour(hex_colour: str) -> str:
    parts = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return " ".join(f"{p:.4f}".rstrip("0").rstrip(".").removeprefix("0") or "0" for p in parts)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package)")
def test_the_pdf_holds_the_drawn_charts(rendered):
    _, _, _, out = rendered
    fills = _pdf_fill_colours(out / f"landelijk_{QUARTER}.pdf")
    # The first three series colours paint bars and lines only: nothing else on
    # the page has them, so they are in the PDF only if the charts were drawn.
    for colour in PALETTE[:3]:
        assert f"{_pdf_colour(colour)} rg" in fills, (colour, sorted(fills))


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package)")
def test_the_browser_draws_every_figure_from_its_rows(rendered):
    """Debian's Chromium (Playwright) opens each tier's page from file://: every figure drawn,
    with the labels of its rows, its table folded away, no error, nothing from the network."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from dashboard_fixtures import CHROMIUM_FLAGS

    _, _, _, out = rendered
    pages = [
        out / f"landelijk_{QUARTER}.html",
        out / "regio" / "AM18.html",
        org_report(out, "ORG01"),
    ]
    with sync_api.sync_playwright() as manager:
        browser = manager.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            for path in pages:
                expected = figures(path.read_text(encoding="utf-8"))
                context = browser.new_context(viewport={"width": 1100, "height": 900})
                requests, errors = [], []
                context.on("request", lambda r, seen=requests: seen.append(r.url))
                page = context.new_page()
                page.on("pageerror", lambda e, seen=errors: seen.append(str(e)))
                page.goto(path.as_uri())
                page.wait_for_function(
                    "document.querySelectorAll('figure.chart.drawn, figure.chart.not-drawn')"
                    f".length === {len(expected)}",
                    timeout=60_000,
                )
                assert page.locator("figure.chart.not-drawn").count() == 0, path
                assert page.locator("figure.chart details[open]").count() == 0
                for fig in expected:
                    drawn = page.locator(f"#{fig['id']} .chart-canvas svg")
                    assert drawn.count() == 1, (path.name, fig["caption"])
                    texts = set(drawn.locator("text").all_text_contents())
                    labels = {
                        r["label"]
                        for r in fig["spec"]["datasets"]["main"]
                        if r.get("label")
                        and r.get("value") is not None
                        and "category" in r
                        and not fig["spec"]["usermeta"].get("stacked")
                    }
                    assert labels <= texts, (path.name, fig["caption"], labels - texts)
                context.close()
                assert not errors, errors
                assert all(u.startswith("file://") for u in requests), requests
        finally:
            browser.close()
