"""The seeds are the single written-down copy of the register and code lists.

These checks compare them with the contract in ``docs/spec`` (a copy of
``../shared/spec``, parsed from the spec files where the spec lists the
codes) so a drift shows up here rather
than as a silently missing indicator or an unknown region in a report.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from werkmonitor.config import REPO_ROOT, SEEDS_DIR
from werkmonitor.quarters import Quarter

SPEC_DIR = REPO_ROOT / "docs" / "spec"  # the copy of ../shared/spec kept in the repo
SHARED_SPEC_DIR = REPO_ROOT.parent / "shared" / "spec"

SPEC_REGIONS = re.findall(
    r"^\| (AM\d\d) \|", (SPEC_DIR / "reference-data.md").read_text(encoding="utf-8"), re.M
)

# Code lists as written in submission-format.md.
SPEC_CODES = {
    "trajectory_types": ["IPS", "WABZ", "JOBCOACHING", "WERKFIT", "NAAR_WERK", "OVERIG"],
    "ips_schemes": ["EPA", "CMD", "GEEN"],
    "ips_phases": ["ORIENTATIE", "AANGEVRAAGD", "GOEDGEKEURD"],
    "financing_types": ["UWV", "GEMEENTE", "OVERIG"],
    "financing_details": [
        "ZPM", "WERKGEVER", "WMO", "JEUGDWET", "EIGEN_MIDDELEN", "HOOFDZAAK_WERK", "ANDERS",
    ],
    "exit_reasons": ["BAAN", "OPLEIDING", "WERKFIT", "DOEL_NIET_BEREIKT", "OVERIG"],
    "contract_kinds": ["LOONDIENST", "UITZEND", "OVERIG"],
}


def seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    for number, row in enumerate(rows, start=2):
        assert None not in row, f"{name}.csv row {number} has more fields than the header"
        assert all(v is not None for v in row.values()), f"{name}.csv row {number} is short"
    return rows


def q(text: str) -> Quarter | None:
    return Quarter.parse(text) if text else None


def spec_indicator_codes() -> list[str]:
    """Indicator codes from the first column of the spec's Indicators table.

    A cell like ```first_job_days_0_30`, `_31_60``` abbreviates: a code
    starting with ``_`` replaces as many trailing ``_parts`` of the cell's
    first code as it has itself.
    """
    text = (SPEC_DIR / "indicators.md").read_text(encoding="utf-8")
    section = text.split("## Indicators", 1)[1].split("\n#", 1)[0]
    codes: list[str] = []
    for line in section.splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cell = line.split("|")[1]
        found = re.findall(r"`([^`]+)`", cell)
        base = None
        for code in found:
            if code.startswith("_"):
                parts = base.split("_")
                codes.append("_".join(parts[: -(code.count("_"))]) + code)
            else:
                base = code
                codes.append(code)
    return codes


def spec_duration_indicator_codes() -> list[str]:
    """The three quarterly indicators of "Time in trajectory at the end"."""
    text = (SPEC_DIR / "indicators.md").read_text(encoding="utf-8")
    section = text.split("**Time in trajectory at the end**", 1)[1]
    return re.findall(r"`(ended_[a-z_0-9]+)`", section)


def test_regions_are_exactly_the_spec_codes():
    assert len(SPEC_REGIONS) == 35 and {"AM04", "AM16", "AM31"}.isdisjoint(SPEC_REGIONS)
    rows = seed("regions")
    assert [r["region_code"] for r in rows] == SPEC_REGIONS
    assert len({r["region_name"] for r in rows}) == 35


@pytest.mark.parametrize("name", sorted(SPEC_CODES))
def test_code_lists_equal_spec(name):
    rows = seed(name)
    first = next(iter(rows[0]))
    assert [r[first] for r in rows] == SPEC_CODES[name]
    assert all(r["label_nl"] and r["label_en"] for r in rows)
    assert sorted(int(r["sort_order"]) for r in rows) == list(range(1, len(rows) + 1))


def test_labels_from_the_reports():
    labels = {r["trajectory_type"]: r["label_nl"] for r in seed("trajectory_types")}
    assert labels["IPS"] == "Individuele Plaatsing en Steun (IPS)"
    assert labels["WABZ"] == "Werk als Beste Zorg (WABZ)"
    assert labels["OVERIG"] == "Overige trajecten"
    phases = {r["ips_phase"]: r for r in seed("ips_phases")}
    assert phases["ORIENTATIE"]["label_nl"] == "Oriëntatie"
    assert [p["is_running"] for p in phases.values()] == ["false", "true", "true"]


def test_spec_indicator_parser_expands_abbreviations():
    codes = spec_indicator_codes()
    assert "first_job_days_271_plus" in codes
    assert "employment_6_12_months" in codes
    assert len(codes) == len(set(codes)) == 31


def test_every_spec_indicator_is_in_the_catalogue():
    rows = seed("indicators")
    catalogue = [r["indicator"] for r in rows]
    assert sorted(catalogue) == sorted(spec_indicator_codes() + spec_duration_indicator_codes())
    assert sorted(spec_duration_indicator_codes()) == [
        "ended_before_term_without_result", "ended_within_12_months", "ended_within_6_months",
    ]
    kinds = {r["indicator"]: r["kind"] for r in rows}
    assert {kinds[c] for c in ("orientation", "running", "started", "ended")} == {"count"}
    assert kinds["paid_work"] == "share"
    assert kinds["clients_per_fte"] == kinds["avg_per_organisation"] == "ratio"
    for row in rows:
        assert row["label_nl"] and row["label_en"] and row["numerator_nl"] and row["condition"]
        assert bool(row["denominator"]) == (row["kind"] != "count"), row["indicator"]


def test_organisations():
    rows = seed("organisations")
    codes = [r["organisation_code"] for r in rows]
    assert codes == [f"ORG{n:02d}" for n in range(1, len(rows) + 1)]
    assert 40 <= len(rows) <= 50
    assert len({r["organisation_name"] for r in rows}) == len(rows)
    assert {r["organisation_kind"] for r in rows} == {"GGZ_INSTELLING", "RIBW", "OVERIG"}
    for r in rows:
        start, end = q(r["active_from_quarter"]), q(r["active_to_quarter"])
        assert start >= Quarter.parse("2022Q4")
        assert end is None or start <= end
    active_2024q3 = [r for r in rows if _active(r, Quarter.parse("2024Q3"))]
    assert len(active_2024q3) >= 43


def _active(org: dict[str, str], quarter: Quarter) -> bool:
    start, end = q(org["active_from_quarter"]), q(org["active_to_quarter"])
    return start <= quarter and (end is None or quarter <= end)


def test_register_refers_to_known_codes_inside_active_range():
    orgs = {r["organisation_code"]: r for r in seed("organisations")}
    types = {r["trajectory_type"] for r in seed("trajectory_types")}
    rows = seed("organisation_regions")
    keys = set()
    for number, row in enumerate(rows, start=2):
        where = f"organisation_regions.csv row {number}"
        assert row["organisation_code"] in orgs, where
        assert row["region_code"] in SPEC_REGIONS, where
        assert row["trajectory_type"] in types, where
        org = orgs[row["organisation_code"]]
        valid_from, valid_to = q(row["valid_from_quarter"]), q(row["valid_to_quarter"])
        assert valid_from >= q(org["active_from_quarter"]), where
        if org["active_to_quarter"]:
            assert valid_to is not None and valid_to <= q(org["active_to_quarter"]), where
        assert valid_to is None or valid_from <= valid_to, where
        key = (row["organisation_code"], row["region_code"], row["trajectory_type"])
        assert key not in keys, f"{where}: duplicate {key}"
        keys.add(key)
    # every organisation is expected somewhere, or it could never deliver
    assert {code for code, _, _ in keys} == set(orgs)


def _providers(quarter: str, trajectory_type: str | None = None) -> set[str]:
    quarter_ = Quarter.parse(quarter)
    return {
        r["region_code"]
        for r in seed("organisation_regions")
        if (trajectory_type is None or r["trajectory_type"] == trajectory_type)
        and q(r["valid_from_quarter"]) <= quarter_
        and (not r["valid_to_quarter"] or quarter_ <= q(r["valid_to_quarter"]))
    }


def test_register_story_from_the_reports():
    # 2023: Zeeland, Noord-Limburg and Midden-Limburg had no IPS provider.
    for quarter in ("2023Q1", "2023Q2", "2023Q3", "2023Q4"):
        assert not {"AM24", "AM29", "AM33"} & _providers(quarter, "IPS")
    # Q1 2023: 29 organisations offered IPS in 29 regions.
    assert len(_providers("2023Q1", "IPS")) == 29
    # Some region has no provider of any type in some quarter, and all are covered later.
    assert set(SPEC_REGIONS) - _providers("2023Q1")
    assert _providers("2024Q3") == set(SPEC_REGIONS)
    # Big organisations cover several regions.
    per_org: dict[str, set[str]] = {}
    for r in seed("organisation_regions"):
        per_org.setdefault(r["organisation_code"], set()).add(r["region_code"])
    assert max(len(v) for v in per_org.values()) >= 3


def test_divisions():
    divisions = {r["division_code"]: r for r in seed("divisions")}
    assert divisions["CHAMPIONS_LEAGUE"]["yearly_target"] == "100"
    assert divisions["EREDIVISIE"]["yearly_target"] == "25"
    assert divisions["KEUKEN_KAMPIOEN_DIVISIE"]["yearly_target"] == ""
    rows = seed("region_divisions")
    pairs = {(r["region_code"], int(r["year"])) for r in rows}
    assert len(rows) == len(pairs) == 35 * 5
    assert pairs == {(code, year) for code in SPEC_REGIONS for year in range(2022, 2027)}
    assert {r["division_code"] for r in rows} <= set(divisions)


def test_norms_and_fidelity_bands():
    norms = {r["norm_code"]: float(r["value"]) for r in seed("norms")}
    assert norms == {
        "SUSTAINABLE_MIN_HOURS_PER_WEEK": 12,
        "SUSTAINABLE_MIN_WAGE_VALUE_PCT": 35,
        "SUSTAINABLE_MIN_CONTRACT_MONTHS": 3,
        "MAX_CLIENTS_PER_FTE": 25,
    }
    bands = seed("ips_fidelity_bands")
    ranges = [(int(b["min_score"]), int(b["max_score"])) for b in bands]
    assert ranges[0][1] == 74 and ranges[1] == (75, 99) and ranges[2] == (100, 114)
    assert ranges[-1][1] == 130
    for (_, high), (low, _) in zip(ranges, ranges[1:], strict=False):
        assert low == high + 1


def test_seed_files_are_plain_utf8_without_bom():
    for path in Path(SEEDS_DIR).glob("*.csv"):
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name


@pytest.mark.skipif(not SHARED_SPEC_DIR.is_dir(), reason="no ../shared/spec beside this clone")
@pytest.mark.parametrize(
    "name", ["indicators.md", "interface.md", "reference-data.md", "submission-format.md"]
)
def test_spec_copy_matches_the_shared_contract(name):
    assert (SPEC_DIR / name).read_bytes() == (SHARED_SPEC_DIR / name).read_bytes()


def test_flags_are_booleans_and_the_cohort_comparisons_are_study_003s():
    """Every ``is_`` column of a seed holds true/false only (dbt loads it as a
    boolean; ``reference.flagged_codes`` reads "true"); the cohort flag picks
    study 003's comparisons, EPA against CMD and UWV against gemeente."""
    from werkmonitor.reference import flagged_codes

    for path in Path(SEEDS_DIR).glob("*.csv"):
        for number, row in enumerate(seed(path.stem), start=2):
            for column, value in row.items():
                if column.startswith("is_"):
                    assert value in ("true", "false"), f"{path.name} row {number} {column}"
    assert flagged_codes("ips_schemes", "is_compared_in_cohorts") == ("EPA", "CMD")
    assert flagged_codes("financing_types", "is_compared_in_cohorts") == ("UWV", "GEMEENTE")
    with pytest.raises(KeyError, match="is_compared_in_cohorts"):
        flagged_codes("exit_reasons", "is_compared_in_cohorts")
