"""The cohort section of the national report, written against the public
``cohort_outcomes`` table of contract 3 (a hand-made fixture here)."""

from __future__ import annotations

import re

import pandas as pd
from report_fixtures import QUARTER, figures, public_file, row

from werkmonitor import charts
from werkmonitor.publish import render_reports

COLUMNS = [
    "as_of_quarter",
    "level",
    "region_code",
    "region_name",
    "trajectory_type",
    "financing",
    "ips_scheme",
    "start_cohort",
    "outcome",
    "month",
    "at_risk",
    "cumulative_share",
    "ci_lower",
    "ci_upper",
]


def cohort_rows(scheme="ALL", financing="ALL", months=(), at_risk=(), shares=()) -> list[dict]:
    return [
        {
            "as_of_quarter": QUARTER,
            "level": "national",
            "region_code": None,
            "region_name": None,
            "trajectory_type": "IPS",
            "financing": financing,
            "ips_scheme": scheme,
            "start_cohort": "ALL",
            "outcome": "paid_work",
            "month": m,
            "at_risk": n,
            "cumulative_share": s,
            "ci_lower": max(s - 0.05, 0),
            "ci_upper": s + 0.05,
        }
        for m, n, s in zip(months, at_risk, shares, strict=True)
    ]


def national(tmp_path, cohorts):
    public_file(tmp_path / "pub", [row("running", 100)], cohorts=cohorts)
    result = render_reports(tmp_path / "pub", QUARTER, workers=1)
    assert result.failed == {}
    html = (tmp_path / "pub" / "reports" / QUARTER / f"landelijk_{QUARTER}.html").read_text()
    return html.split("<h2>Uitkomsten naar tijd sinds de start</h2>")[1].split("<h2>")[0]


def at_risk_row(section: str, name: str) -> list[str]:
    found = re.search(rf"<tr><td>{re.escape(name)}</td>(.*?)</tr>", section).group(1)
    return re.findall(r"<td class=\"num\">(.*?)</td>", found)


def test_cohort_curves_with_numbers_at_risk(tmp_path):
    frame = pd.DataFrame(
        cohort_rows(
            "EPA",
            months=(1, 6, 12, 18),
            at_risk=(240, 185, 120, 45),
            shares=(0.05, 0.21, 0.34, 0.40),
        )
        + cohort_rows("CMD", months=(1, 6, 12), at_risk=(90, 60, 25), shares=(0.04, 0.18, 0.3))
        + cohort_rows(financing="UWV", months=(1, 6), at_risk=(150, 100), shares=(0.06, 0.2))
        + cohort_rows(financing="GEMEENTE", months=(1, 6), at_risk=(80, 35), shares=(0.03, 0.1)),
        columns=COLUMNS,
    )
    section = national(tmp_path, frame)
    assert section.count('<figure class="chart"') == 2
    assert "Aandeel ooit betaald werk per maand sinds de start, naar IPS-regeling" in section
    assert "naar financiering van het IPS-traject (UWV en gemeente)" in section
    # Months without enough at risk are not in the public table: shown as –.
    assert at_risk_row(section, "IPS-EPA") == ["240", "185", "120", "45", "–", "–", "–"]
    assert at_risk_row(section, "IPS-CMD") == ["90", "60", "25", "–", "–", "–", "–"]
    assert at_risk_row(section, "UWV") == ["150", "100", "–", "–", "–", "–", "–"]
    assert at_risk_row(section, "Gemeente") == ["80", "35", "–", "–", "–", "–", "–"]
    html = (tmp_path / "pub" / "reports" / QUARTER / f"landelijk_{QUARTER}.html").read_text()
    first = next(f for f in figures(html) if "naar IPS-regeling" in f["caption"])
    # The spec the page draws, drawn by Vega in-process.
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", charts.to_svg(first["spec"]))
    assert {"240", "185", "120", "90", "60"} <= set(labels)  # at start (0) and months 6, 12
    assert "Maanden sinds de start" in labels


def test_without_cohort_table_the_section_says_so(tmp_path):
    section = national(tmp_path, None)
    assert "Voor dit kwartaal zijn er nog geen cohortgegevens." in section
    assert "<figure" not in section


def test_one_comparison_without_rows(tmp_path):
    frame = pd.DataFrame(
        cohort_rows("EPA", months=(1, 6), at_risk=(60, 30), shares=(0.1, 0.2)), columns=COLUMNS
    )
    section = national(tmp_path, frame)
    assert section.count('<figure class="chart"') == 1
    assert "UWV en gemeente: nog geen cohortgegevens." in section


def test_the_compared_groups_are_seed_codes_with_the_seed_labels():
    """The comparisons name their codes once; each is a code of its seed, and each
    curve is labelled with the seed's (short) Dutch label, nothing written again."""
    from werkmonitor.publish.reports import cohort, labels
    from werkmonitor.reference import read_seed

    found = cohort.comparisons()
    assert [title for title, _, _ in found] == ["IPS-EPA en IPS-CMD", "UWV en gemeente"]
    for (_, _, seed, column, codes), (_, _, curves) in zip(cohort.COMPARED, found, strict=True):
        seed_codes = {r[column] for r in read_seed(seed)}
        assert set(codes) <= seed_codes
        assert list(curves) == [labels.code_labels(seed)[c] for c in codes]
        assert [f[column] for f in curves.values()] == list(codes)
    assert list(found[0][2]) == ["IPS-EPA", "IPS-CMD"]
    assert list(found[1][2]) == ["UWV", "Gemeente"]
