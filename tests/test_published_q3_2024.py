"""The Q3 2024 landing zone reproduces the published national figures.

Two independent things meet here: the builder (``published_q3_2024``), which
claims its profiles add up to the report, and the oracle (``oracle``), which
computes the indicators from the spec text. The oracle itself is first checked
on a tiny hand-computed landing zone, so a shared mistake cannot pass unseen.
"""

from __future__ import annotations

import csv
import time
from datetime import date
from pathlib import Path

import oracle
import pytest
from published_q3_2024 import (
    BANEN_COLUMNS,
    BUILT_Q3_2024,
    DEVIATIONS_Q3_2024,
    ORGANISATIE_COLUMNS,
    PUBLISHED_Q3_2024,
    PUBLISHED_RATIOS_Q3_2024,
    TRAJECTEN_COLUMNS,
    build_landing_zone,
    format_share,
    format_value,
    mismatches,
)

from werkmonitor import reference
from werkmonitor.quarters import Quarter

Q3 = Quarter.parse("2024Q3")


@pytest.fixture(scope="session")
def landing_zone(tmp_path_factory):
    raw_dir = tmp_path_factory.mktemp("published_q3_2024") / "raw"
    began = time.perf_counter()
    info = build_landing_zone(raw_dir)
    built = time.perf_counter()
    figures = oracle.national_indicators(raw_dir, "2024Q3")
    done = time.perf_counter()
    return {
        "raw_dir": raw_dir,
        "info": info,
        "figures": figures,
        "seconds": done - began,
        "build_seconds": built - began,
    }


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    return rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _check(figures, key, expected):
    assert key in figures, f"{key} missing"
    numerator, denominator = figures[key]
    if expected.numerator is not None:
        assert numerator == expected.numerator, key
    if expected.denominator is not None:
        assert denominator == expected.denominator, key
    if expected.display is not None:
        assert format_value(key[0], numerator, denominator) == expected.display, key


# ---------------------------------------------------------------- the oracle on its own


def _write(path: Path, text: str, bom: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_zone(tmp_path_factory):
    """Two organisations, figures worked out by hand in the test below.

    ORGA's first folder is superseded by ``_v2`` (later by name); the v2
    files use ``,``, ``DD-MM-YYYY``, a BOM and upper-case headers.
    """
    raw = tmp_path_factory.mktemp("tiny") / "raw"
    q = raw / "2024Q3"
    header = ";".join(TRAJECTEN_COLUMNS)
    _write(
        q / "ORGA_2024Q3" / "trajecten.csv",
        f"{header}\nX1;AM18;IPS;EPA;GOEDGEKEURD;UWV;;2024-01-01;;;nee;nee;nee;nee\n",
    )
    _write(q / "ORGA_2024Q3" / "banen.csv", ";".join(BANEN_COLUMNS) + "\n")
    _write(q / "ORGA_2024Q3" / "organisatie.csv", "organisatie_code;kwartaal;fte\nORGA;2024Q3;9\n")
    v2 = q / "ORGA_2024Q3_v2"
    rows = [
        # t1: paid, sustainable on the boundaries, job started, 136 days
        "T1,AM18,IPS,EPA,GOEDGEKEURD,UWV,,01-03-2024,,,nee,nee,nee,nee",
        # t2: ended, job ended 2024-06-30: worked before, intended (ever)
        "T2,AM18,IPS,CMD,GOEDGEKEURD,GEMEENTE,,02-01-2023,15-08-2024,DOEL_NIET_BEREIKT,ja,nee,nee,nee",
        # t3: orientation with a job: orientation + orientation_ended only
        "T3,AM18,IPS,GEEN,ORIENTATIE,UWV,,01-06-2024,20-07-2024,OVERIG,nee,nee,nee,nee",
        # t4: jobcoaching started in Q, job since 2023-01-15 (20 months), 8 h
        "T4,AM18,JOBCOACHING,,,UWV,,1-8-2024,,,nee,nee,nee,nee",
        # t5: Werkfit declared work-ready: intended
        "T5,AM18,WERKFIT,,,UWV,,01-02-2024,10-09-2024,WERKFIT,nee,nee,nee,nee",
        # t6: Naar Werk with a 2-month contract at the end: not intended
        "T6,AM18,NAAR_WERK,,,UWV,,01-02-2024,10-09-2024,BAAN,nee,nee,nee,nee",
        # t7: job ended 2024-07-01: paid work and job stopped, 9 days
        "T7,AM18,IPS,EPA,AANGEVRAAGD,GEMEENTE,,01-05-2024,,,nee,nee,ja,nee",
    ]
    _write(v2 / "trajecten.csv", ",".join(TRAJECTEN_COLUMNS).upper() + "\n" + "\n".join(rows),
           bom=True)  # fmt: skip
    jobs = [
        "T1,1,15-07-2024,,12,35,3,LOONDIENST",
        "T2,1,01-02-2023,30-06-2024,24,,,LOONDIENST",
        "T3,1,01-05-2024,,24,,,LOONDIENST",
        "T4,1,15-01-2023,,8,,,LOONDIENST",
        "T6,1,01-08-2024,,20,,2,UITZEND",
        "T7,1,10-05-2024,01-07-2024,24,,,UITZEND",
    ]
    _write(v2 / "banen.csv", ",".join(BANEN_COLUMNS).upper() + "\n" + "\n".join(jobs), bom=True)
    _write(v2 / "organisatie.csv", ",".join(ORGANISATIE_COLUMNS) + '\nORGA,2024Q3,"1,0"\n')
    orgb = q / "ORGB_2024Q3"
    _write(
        orgb / "trajecten.csv",
        f"{header}\nB1;AM01;IPS;EPA;GOEDGEKEURD;OVERIG;ZPM;2024-09-30;;;nee;nee;nee;nee\n",
    )
    _write(orgb / "banen.csv", ";".join(BANEN_COLUMNS) + "\n")
    _write(orgb / "organisatie.csv", ";".join(ORGANISATIE_COLUMNS) + "\nORGB;2024Q3;0\n")
    return raw


@pytest.fixture(scope="session")
def tiny_figures(tiny_zone):
    return oracle.national_indicators(tiny_zone, "2024Q3")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (("running", "IPS", "ALL"), (4, None)),  # T1 T2 T7 B1, not the orientation
        (("orientation", "IPS", "ALL"), (1, None)),
        (("orientation_ended", "IPS", "ALL"), (1, None)),
        (("started", "IPS", "ALL"), (1, None)),  # B1 starts on the last day
        (("ended", "IPS", "ALL"), (1, None)),
        (("paid_work", "IPS", "ALL"), (2, 4)),  # T1, T7 (job ends 07-01)
        (("sustainable_paid_work", "IPS", "ALL"), (2, 4)),  # 12 h / 35 % / 3 months counts
        (("ever_paid_work", "IPS", "ALL"), (3, 4)),
        (("job_started", "IPS", "ALL"), (1, 2)),
        (("job_stopped", "IPS", "ALL"), (1, 2)),
        (("ended_worked_before", "IPS", "ALL"), (1, 1)),
        (("ended_intended_result", "IPS", "ALL"), (1, 1)),
        (("first_job_within_3_months", "IPS", "ALL"), (1, 2)),  # T7: 9 days
        (("first_job_days_61_150", "IPS", "ALL"), (1, 2)),  # T1: 136 days
        (("education", "IPS", "ALL"), (1, 4)),
        (("volunteer_work", "IPS", "GEMEENTE"), (1, 2)),
        (("running", "IPS", "UWV"), (1, None)),
        (("clients_per_fte", "IPS", "ALL"), (3, 1.0)),  # ORGB has 0 FTE
        (("running", "ALL", "ALL"), (7, None)),
        (("ended", "ALL", "ALL"), (3, None)),
        (("ended_intended_result", "ALL", "ALL"), (2, 3)),  # T2, T5; not T6
        (("paid_work", "ALL", "ALL"), (4, 7)),
        (("sustainable_paid_work", "ALL", "ALL"), (2, 7)),
        (("ever_paid_work", "ALL", "ALL"), (5, 7)),
        (("avg_per_organisation", "ALL", "ALL"), (7, 2)),
        (("employment_gt_12_months", "JOBCOACHING", "ALL"), (1, 1)),
        (("first_job_within_3_months", "JOBCOACHING", "ALL"), (1, 1)),  # clipped to 0 days
        (("ended_with_paid_work", "NAAR_WERK", "ALL"), (1, 1)),
        (("ended_intended_result", "NAAR_WERK", "ALL"), (0, 1)),
        (("ended_intended_result", "WERKFIT", "ALL"), (1, 1)),
    ],
)
def test_oracle_on_hand_computed_zone(tiny_figures, key, expected):
    assert tiny_figures[key] == expected


def test_oracle_leaves_out_empty_breakdowns(tiny_figures):
    assert ("running", "WABZ", "ALL") not in tiny_figures
    assert ("running", "WERKFIT", "GEMEENTE") not in tiny_figures
    assert ("orientation", "ALL", "ALL") not in tiny_figures


def test_oracle_by_organisation_and_region(tiny_zone):
    by_org = oracle.indicators(tiny_zone, "2024Q3", level="organisation")
    assert by_org[("ORGA", "running", "ALL", "ALL")] == (6, None)
    assert by_org[("ORGB", "running", "IPS", "OVERIG")] == (1, None)
    assert by_org[("ORGA", "clients_per_fte", "IPS", "ALL")] == (3, 1.0)
    assert ("ORGB", "clients_per_fte", "IPS", "ALL") not in by_org  # 0 FTE
    by_region = oracle.indicators(tiny_zone, "2024Q3", level="region")
    assert by_region[("AM18", "paid_work", "ALL", "ALL")] == (4, 6)
    assert by_region[("AM01", "started", "IPS", "ALL")] == (1, None)
    assert not any(key[1] == "clients_per_fte" for key in by_region)  # FTE has no region


def test_oracle_by_ips_scheme_and_phase(tiny_zone):
    by_scheme = oracle.indicators(tiny_zone, "2024Q3", dimension="ips_scheme")
    assert by_scheme[(None, "running", "IPS", "EPA")] == (3, None)  # T1 T7 B1
    assert by_scheme[(None, "orientation", "IPS", "GEEN")] == (1, None)  # T3 only
    assert (None, "running", "IPS", "GEEN") not in by_scheme
    by_phase = oracle.indicators(tiny_zone, "2024Q3", dimension="ips_phase")
    assert by_phase[(None, "running", "IPS", "AANGEVRAAGD")] == (1, None)
    assert by_phase[(None, "job_stopped", "IPS", "AANGEVRAAGD")] == (1, 1)
    assert by_phase[(None, "running", "IPS", "GOEDGEKEURD")] == (3, None)
    assert (None, "orientation", "IPS", "ORIENTATIE") not in by_phase
    assert by_phase[(None, "orientation", "IPS", "ALL")] == (1, None)


def test_oracle_date_formats():
    assert oracle.parse_date("2024-07-01") == date(2024, 7, 1)
    assert oracle.parse_date("01-07-2024") == date(2024, 7, 1)
    assert oracle.parse_date("1-7-2024") == date(2024, 7, 1)
    assert oracle.parse_date("01/07/2024") == date(2024, 7, 1)
    assert oracle.parse_date("") is None
    with pytest.raises(ValueError):
        oracle.parse_date("2024/07/01")
    assert oracle.whole_months(date(2023, 12, 4), date(2024, 9, 30)) == 9
    assert oracle.whole_months(date(2024, 4, 15), date(2024, 9, 13)) == 4


# ---------------------------------------------------------------- the published figures


@pytest.mark.parametrize("key", sorted(PUBLISHED_Q3_2024), ids="/".join)
def test_published_figure(landing_zone, key):
    _check(landing_zone["figures"], key, PUBLISHED_Q3_2024[key])


@pytest.mark.parametrize("name", sorted(PUBLISHED_RATIOS_Q3_2024))
def test_published_ratio(landing_zone, name):
    numerator_key, denominator_key, printed = PUBLISHED_RATIOS_Q3_2024[name]
    figures = landing_zone["figures"]
    assert format_share(figures[numerator_key][0] / figures[denominator_key][0]) == printed


@pytest.mark.parametrize("key", sorted(BUILT_Q3_2024), ids="/".join)
def test_built_figure(landing_zone, key):
    _check(landing_zone["figures"], key, BUILT_Q3_2024[key])


@pytest.mark.parametrize("key", sorted(DEVIATIONS_Q3_2024), ids="/".join)
def test_documented_deviation(landing_zone, key):
    published, built = DEVIATIONS_Q3_2024[key]
    assert published != built
    assert landing_zone["figures"][key][0] == built


def test_mismatches_reports_nothing_for_the_oracle(landing_zone):
    assert mismatches(landing_zone["figures"]) == []


def test_mismatches_reports_a_wrong_figure(landing_zone):
    figures = dict(landing_zone["figures"])
    figures[("paid_work", "IPS", "ALL")] = (1500, 4062)  # 36,9%
    del figures[("running", "WABZ", "UWV")]
    problems = mismatches(figures)
    assert len(problems) == 3, problems  # numerator, printed share, missing key
    assert any("('running', 'WABZ', 'UWV'): missing" in p for p in problems)


def test_report_shares_printed_in_the_spec():
    """The printed shares follow from the printed counts (guards typos in the dict)."""
    assert format_share(1786 / 4763) == "37,5"
    assert format_share(4062 / 4763) == "85,3"
    assert format_share(451 / 1524) == "29,6" and format_share(452 / 1524) == "29,7"
    assert format_share(689 / 1524) == "45,2" and format_share(688 / 1524) == "45,1"
    assert format_share(334 / 642) == "52,0"
    assert format_share(60 / 138) == "43,5"


def test_werkfit_naar_werk_unsuccessful(landing_zone):
    figures = landing_zone["figures"]
    for ttype, failed, printed in (("WERKFIT", 20, "37,0"), ("NAAR_WERK", 4, "44,4")):
        intended, ended = figures[("ended_intended_result", ttype, "ALL")]
        assert ended - intended == failed
        assert format_share((ended - intended) / ended) == printed


def test_all_types_sum_of_types(landing_zone):
    figures = landing_zone["figures"]
    types = ("IPS", "WABZ", "JOBCOACHING", "WERKFIT", "NAAR_WERK", "OVERIG")
    for indicator in ("running", "started", "ended", "paid_work", "ever_paid_work"):
        total = sum(figures[(indicator, t, "ALL")][0] for t in types)
        assert figures[(indicator, "ALL", "ALL")][0] == total, indicator


def test_build_and_oracle_are_fast(landing_zone):
    assert landing_zone["seconds"] < 5


# ---------------------------------------------------------------- the landing zone itself


def test_folders_are_43_registered_active_organisations(landing_zone):
    info = landing_zone["info"]
    folders = sorted(p.name for p in (landing_zone["raw_dir"] / "2024Q3").iterdir())
    assert len(folders) == 43
    assert folders == [f"{org}_2024Q3" for org in info["organisations"]]
    register = reference.organisations()
    for org in info["organisations"]:
        assert register[org].is_active(Q3), org
    assert len(info["organisations_per_type"]["JOBCOACHING"]) == 14
    assert len(info["organisations_per_type"]["WABZ"]) == 2


def test_files_follow_the_submission_format(landing_zone):
    q_start, q_end = Q3.start, Q3.end
    valid = [e for e in reference.organisation_regions() if e.is_valid(Q3)]
    regions_of: dict[tuple[str, str], set[str]] = {}
    for entry in valid:
        regions_of.setdefault((entry.organisation_code, entry.trajectory_type), set()).add(
            entry.region_code
        )
    for folder in sorted((landing_zone["raw_dir"] / "2024Q3").iterdir()):
        org = folder.name.split("_")[0]
        header, trajecten = _read(folder / "trajecten.csv")
        assert header == TRAJECTEN_COLUMNS
        ids = [row["traject_id"] for row in trajecten]
        assert len(ids) == len(set(ids)), folder.name
        org_regions = {r for (o, _), rs in regions_of.items() if o == org for r in rs}
        for row in trajecten:
            expected = regions_of.get((org, row["trajecttype"]), org_regions)
            assert row["arbeidsmarktregio"] in expected, (folder.name, row)
            start = date.fromisoformat(row["startdatum"])
            assert start <= q_end
            if row["einddatum"]:
                end = date.fromisoformat(row["einddatum"])
                assert q_start <= end <= q_end and end >= start
                assert row["uitstroomreden"]
            else:
                assert not row["uitstroomreden"]
            is_ips = row["trajecttype"] == "IPS"
            assert bool(row["ips_regeling"]) == is_ips and bool(row["fase"]) == is_ips
            assert (row["financiering"] == "OVERIG") == bool(row["financiering_detail"])
        header, banen = _read(folder / "banen.csv")
        assert header == BANEN_COLUMNS
        assert {row["traject_id"] for row in banen} <= set(ids)
        for row in banen:
            assert date.fromisoformat(row["startdatum"]) <= q_end
            if row["einddatum"]:
                assert row["startdatum"] <= row["einddatum"] <= str(q_end)
        header, organisatie = _read(folder / "organisatie.csv")
        assert header == ORGANISATIE_COLUMNS
        assert [(r["organisatie_code"], r["kwartaal"]) for r in organisatie] == [(org, "2024Q3")]
        has_ips = any(row["trajecttype"] == "IPS" for row in trajecten)
        assert bool(organisatie[0]["fte_trajectbegeleiding"]) == has_ips, folder.name


def test_orientation_rows_are_there_and_not_running(landing_zone):
    orientation = total = 0
    for folder in (landing_zone["raw_dir"] / "2024Q3").iterdir():
        _, trajecten = _read(folder / "trajecten.csv")
        total += len(trajecten)
        orientation += sum(1 for r in trajecten if r["fase"] == "ORIENTATIE")
    assert orientation == 300
    assert landing_zone["figures"][("running", "ALL", "ALL")][0] == total - orientation


def test_zero_fte_organisation_left_out_of_clients_per_fte(landing_zone):
    info = landing_zone["info"]
    zero = info["zero_fte_organisation"]
    assert info["fte"][zero] == 0
    _, trajecten = _read(landing_zone["raw_dir"] / "2024Q3" / f"{zero}_2024Q3" / "trajecten.csv")
    its_ips = sum(1 for r in trajecten if r["trajecttype"] == "IPS" and r["fase"] != "ORIENTATIE")
    assert its_ips > 0
    numerator, fte = landing_zone["figures"][("clients_per_fte", "IPS", "ALL")]
    assert numerator == 4062 - its_ips
    assert fte == pytest.approx(sum(info["fte"].values()))
    # Counting the 0-FTE organisation's clients would print another value.
    assert format_value("clients_per_fte", 4062, fte) != "16,0"
