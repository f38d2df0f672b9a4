"""The quality gates against a small synthetic warehouse, clean and broken on purpose.

Each warehouse variant is validated once per session (GX is slow to import
and to run); the tests read the one report. The synthetic warehouse has five
organisations ORG01…ORG05, each serving two neighbouring regions (ORG01: AM01
AM02, ORG02: AM02 AM03, …), 40 trajectories each. ORG01's accepted submission
has a quarantined trajectory (unknown region AM99) and a quarantined job (95
hours); ORG02 also has a rejected file; ORG03 a superseded one whose rows
repeat a traject_id.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from werkmonitor.quality import GateReport, run_quality_gates, run_quality_gates_many
from werkmonitor.quality.synthetic import SyntheticSpec, build_warehouse, write_seeds

QUARTER = "2024Q3"


@pytest.fixture(scope="session")
def seeds(tmp_path_factory) -> Path:
    return write_seeds(tmp_path_factory.mktemp("seeds"), organisations=5)


@pytest.fixture(scope="session")
def clean_warehouse(tmp_path_factory, seeds) -> Path:
    path = tmp_path_factory.mktemp("clean") / "template.duckdb"
    return build_warehouse(path, SyntheticSpec(quarter=QUARTER), seeds)


def _copy(template: Path, folder: Path) -> Path:
    target = folder / "werkmonitor.duckdb"
    shutil.copy(template, target)
    return target


def _run(warehouse: Path, publish: Path, seeds: Path, **kwargs) -> GateReport:
    return run_quality_gates(warehouse, QUARTER, publish, seeds_dir=seeds, **kwargs)


@pytest.fixture(scope="session")
def clean(tmp_path_factory, clean_warehouse, seeds):
    folder = tmp_path_factory.mktemp("clean_run")
    warehouse = _copy(clean_warehouse, folder)
    return _run(warehouse, folder / "published", seeds), warehouse, folder / "published"


BREAKS = [
    # raw: ORG04's job row points to a trajectory that is not in its submission
    """update raw.banen set traject_id = 'ORG04-T99999'
       where submission_id = 'ORG04_2024Q3_00000000000a' and source_row = 2""",
    # raw: ORG05 repeats a traject_id in one submission (not quarantined)
    """insert into raw.trajecten select * replace (999 as source_row) from raw.trajecten
       where submission_id = 'ORG05_2024Q3_00000000000a' and source_row = 2""",
    # raw: ORG04 sends a job of 95 hours the loader did not quarantine
    """update raw.banen set uren_per_week = 95
       where submission_id = 'ORG04_2024Q3_00000000000a' and source_row = 3""",
    # fact: two ORG02 trajectories with sustainable work but no paid work
    """update marts.fct_trajectory_quarters set has_sustainable_paid_work = true,
              has_paid_work = false, has_ever_paid_work = true
       where quarter = '2024Q3' and traject_id in ('ORG02-T00001', 'ORG02-T00002')""",
    # mart: a share above 1 for ORG03
    """update marts.quarterly_indicators set value = 1.5, numerator = denominator * 1.5
       where quarter = '2024Q3' and level = 'organisation' and organisation_code = 'ORG03'
         and indicator = 'paid_work' and trajectory_type = 'ALL' and financing = 'ALL'""",
    # mart: national running for IPS/ALL one more than the sum over organisations
    """update marts.quarterly_indicators set numerator = numerator + 1, value = value + 1
       where quarter = '2024Q3' and level = 'national' and indicator = 'running'
         and trajectory_type = 'IPS' and financing = 'ALL' and ips_scheme = 'ALL'
         and ips_phase = 'ALL'""",
    # mart: region AM05 missing from region_completeness
    "delete from marts.region_completeness where quarter = '2024Q3' and region_code = 'AM05'",
    # mart: AM02 counts one expected organisation more than the register (ORG01, ORG02)
    """update marts.region_completeness set organisations_expected = 3
       where quarter = '2024Q3' and region_code = 'AM02'""",
]


@pytest.fixture(scope="session")
def broken(tmp_path_factory, clean_warehouse, seeds) -> GateReport:
    folder = tmp_path_factory.mktemp("broken_run")
    warehouse = _copy(clean_warehouse, folder)
    con = duckdb.connect(str(warehouse))
    for sql in BREAKS:
        con.execute(sql)
    con.close()
    return _run(warehouse, folder / "published", seeds, build_data_docs=False)


@pytest.fixture(scope="session")
def one_missing(tmp_path_factory, seeds) -> GateReport:
    """ORG03 did not deliver: 4 of 5 expected organisations (80%) = the threshold."""
    folder = tmp_path_factory.mktemp("one_missing")
    warehouse = build_warehouse(
        folder / "w.duckdb", SyntheticSpec(quarter=QUARTER, missing=["ORG03"]), seeds
    )
    return _run(warehouse, folder / "published", seeds, build_data_docs=False)


@pytest.fixture(scope="session")
def two_missing(tmp_path_factory, seeds) -> GateReport:
    """ORG04 and ORG05 did not deliver (60%), and the policy makes a region drop blocking."""
    folder = tmp_path_factory.mktemp("two_missing")
    warehouse = build_warehouse(
        folder / "w.duckdb", SyntheticSpec(quarter=QUARTER, missing=["ORG04", "ORG05"]), seeds
    )
    policy = folder / "policy.yml"
    policy.write_text(
        "min_national_coverage: 0.8\nmax_region_drop_share: 0.5\n"
        "region_drop_severity: blocking\nregion_drop_min_previous: 10\n",
        encoding="utf-8",
    )
    return _run(warehouse, folder / "published", seeds, policy_path=policy,
                build_data_docs=False)


# --- a clean quarter ---------------------------------------------------------


def test_clean_quarter_passes_every_gate(clean):
    report, _, _ = clean
    failed = [(r.name, r.message) for r in report.results if not r.success]
    assert failed == []
    assert report.passed and report.blocking_failures == 0 and report.warnings == 0
    assert len(report.results) > 90  # every expectation of every suite file ran
    assert "GESLAAGD" in report.format()


def test_quarantined_rows_are_not_counted_again(clean):
    """ORG01's AM99 trajectory and 95-hour job were quarantined by the loader."""
    report, _, _ = clean
    assert report.result("raw.trajecten.region_known").success
    assert report.result("raw.banen.hours_in_range").success
    # and ORG03's superseded file repeats a traject_id without failing uniqueness
    assert report.result("raw.trajecten.traject_id_unique").success


def test_data_docs_built_for_the_quarter(clean):
    report, _, publish = clean
    assert report.data_docs_index == publish / "data_docs" / "index.html"
    html = report.data_docs_index.read_text(encoding="utf-8")
    assert "raw_trajecten" in html and "quarterly_indicators" in html
    # the offline overview lists every gate and links each to its suite's GX page
    overview = (publish / "data_docs" / QUARTER / "gates.html").read_text(encoding="utf-8")
    assert overview.count("<tr class=") == len(report.results)
    assert f'href="../validations/raw_banen/werkmonitor {QUARTER}/' in overview


def test_gate_runs_written_to_audit(clean):
    report, warehouse, _ = clean
    con = duckdb.connect(str(warehouse), read_only=True)
    runs = con.execute(
        "select quarter, passed, blocking_failures, warnings, summary "
        "from audit.quality_gate_runs"
    ).fetchall()
    results = con.execute(
        "select count(*), count(*) filter (where success) from audit.quality_gate_results "
        "where quarter = '2024Q3'"
    ).fetchone()
    types = dict(con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'audit' and table_name = 'quality_gate_runs'"
    ).fetchall())
    con.close()
    assert len(runs) == 1
    quarter, passed, blocking, warnings, summary = runs[0]
    assert (quarter, passed, blocking, warnings) == ("2024Q3", True, 0, 0)
    assert summary.startswith("Kwaliteitscontrole 2024Q3: GESLAAGD")
    assert results == (len(report.results), len(report.results))
    assert types["run_at"] == "TIMESTAMP" and types["passed"] == "BOOLEAN"


def test_feedback_file_for_org_with_quarantined_rows(clean):
    report, _, publish = clean
    folder = publish / "feedback" / QUARTER
    assert sorted(p.name for p in report.feedback_files) == [
        f"ORG0{i}.md" for i in range(1, 6)
    ]
    text = (folder / "ORG01.md").read_text(encoding="utf-8")
    assert "# Terugkoppeling werkmonitor: ORG01 Proefinstelling 01, kwartaal 3 van 2024" in text
    assert "## Rijen in quarantaine" in text
    # 1 trajectory + its jobs + the 95-hour job, each with sheet, row, column, value, rule
    assert "| trajecten | 3 | ORG01-T00001 | arbeidsmarktregio | AM99 | unknown_region |" in text
    assert "| uren_per_week | 95 | hours_out_of_range |" in text
    assert "Alle controles op uw geaccepteerde gegevens zijn geslaagd." in text


def test_feedback_file_for_rejected_submission(clean):
    _, _, publish = clean
    text = (publish / "feedback" / QUARTER / "ORG02.md").read_text(encoding="utf-8")
    assert "### Afgekeurd: 2024Q3/ORG02_2024Q3_fout.xlsx" in text
    assert "Tabblad 'banen' ontbreekt." in text
    assert "Geen rijen apart gezet." in text


# --- broken on purpose -------------------------------------------------------


def _failed_for_data(report: GateReport, gate: str):
    """The gate failed because of the data, not because GX could not compute it."""
    result = report.result(gate)
    assert not result.success, f"{gate} should fail"
    assert "exception" not in result.metadata, result.metadata.get("exception")
    return result


def test_raw_job_to_unknown_trajectory(broken):
    result = _failed_for_data(broken, "raw.banen.known_trajectory")
    assert result.target == "raw.banen" and result.severity == "blocking"
    assert result.unexpected_count == 1
    assert result.message.startswith("ORG04: 1 banen-rijen verwijzen naar een onbekend traject")
    assert "traject_id ORG04-T99999 (rij 2)" in result.message


def test_raw_duplicate_traject_id(broken):
    result = _failed_for_data(broken, "raw.trajecten.traject_id_unique")
    assert result.severity == "blocking"
    # both rows carrying ORG05-T00000 are reported
    assert result.unexpected_count == 2
    assert result.message.startswith("ORG05: 2 trajecten-rijen met een traject_id dat vaker")


def test_raw_hours_out_of_range(broken):
    result = _failed_for_data(broken, "raw.banen.hours_in_range")
    assert result.metadata["by_owner"] == {"ORG04": 1}
    assert result.metadata["rows"][0]["uren_per_week"] == 95


def test_fact_sustainable_without_paid_work(broken):
    result = _failed_for_data(broken, "marts.fct_trajectory_quarters.sustainable_within_paid")
    assert result.target == "marts.fct_trajectory_quarters"
    assert result.severity == "blocking"
    assert result.message == (
        "ORG02: 2 trajecten met duurzaam betaald werk maar zonder betaald werk"
    )
    # has_ever_paid_work stayed true, so the next rule in the chain holds
    assert broken.result("marts.fct_trajectory_quarters.paid_within_ever").success


def test_mart_share_above_one(broken):
    result = _failed_for_data(broken, "marts.quarterly_indicators.share_between_0_and_1")
    assert result.target == "marts.quarterly_indicators" and result.severity == "blocking"
    assert result.metadata["by_owner"] == {"ORG03": 1}
    assert "ORG03 paid_work ALL/ALL: waarde 1,5" in result.message
    numerator = _failed_for_data(
        broken, "marts.quarterly_indicators.share_numerator_within_denominator"
    )
    assert numerator.unexpected_count == 1


def test_mart_national_total_differs_from_sum_of_organisations(broken):
    result = _failed_for_data(
        broken, "marts.quarterly_indicators.national_equals_sum_of_organisations"
    )
    assert result.severity == "blocking" and result.unexpected_count == 1
    row = result.metadata["rows"][0]
    assert (row["indicator"], row["trajectory_type"], row["financing"]) == ("running", "IPS", "ALL")
    assert row["national_value"] == row["organisations_sum"] + 1
    assert "running IPS/ALL: landelijk" in result.message


def test_region_missing_from_completeness(broken):
    result = _failed_for_data(broken, "marts.region_completeness.all_regions_present")
    assert result.target == "marts.region_completeness" and result.severity == "blocking"
    assert result.message == "AM05: 1 regio's ontbreken in region_completeness"


def test_region_counts_checked_against_register(broken):
    result = _failed_for_data(broken, "marts.region_completeness.expected_matches_register")
    assert result.severity == "warning"
    assert result.message == (
        "AM02: 1 regio's waar het aantal verwachte organisaties afwijkt van het register"
        " — AM02: mart 3, register 2"
    )


def test_broken_report_fails_with_each_break_and_nothing_else(broken):
    assert not broken.passed
    assert {r.name for r in broken.failed()} == {
        "raw.banen.known_trajectory",
        "raw.trajecten.traject_id_unique",
        "raw.banen.hours_in_range",
        "marts.fct_trajectory_quarters.sustainable_within_paid",
        "marts.quarterly_indicators.share_between_0_and_1",
        "marts.quarterly_indicators.share_numerator_within_denominator",
        "marts.quarterly_indicators.national_equals_sum_of_organisations",
        "marts.quarterly_indicators.national_equals_sum_of_regions",
        "marts.region_completeness.all_regions_present",
        "marts.region_completeness.expected_matches_register",
    }
    assert broken.blocking_failures == 8 and broken.warnings == 2
    text = broken.format()
    assert "AFGEKEURD" in text and "Blokkerend: [raw.banen] raw.banen.known_trajectory" in text


def test_feedback_names_failed_checks_for_the_organisation(broken):
    folder = broken.feedback_files[0].parent
    text = (folder / "ORG04.md").read_text(encoding="utf-8")
    assert "**blokkerend** (raw.banen): 1 banen-rijen verwijzen naar een onbekend traject" in text
    assert "rij 2 (traject ORG04-T99999)" in text


# --- completeness ------------------------------------------------------------


def test_missing_organisation_passes_but_marks_regions(one_missing):
    report = one_missing
    assert report.passed
    coverage = report.result("completeness.national_coverage")
    assert coverage.success and coverage.severity == "blocking"
    # ORG03 serves AM03 (shared with ORG02) and AM05 (shared with ORG04)
    assert coverage.metadata["incomplete_regions"] == ["AM03", "AM05"]
    # ORG01…ORG05 serve six regions (AM01–AM07); the other 29 have no provider
    assert coverage.message == (
        "in orde; regio's gemarkeerd met * AM03 (onvolledig), AM05 (onvolledig); "
        "met ** (geen aanbieder) 29 regio('s)"
    )
    feedback = (report.feedback_files[0].parent / "ORG03.md").read_text(encoding="utf-8")
    assert "geen aanlevering van u ontvangen" in feedback and "AM03, AM05" in feedback


def test_coverage_below_threshold_blocks_with_reason(two_missing):
    report = two_missing
    assert not report.passed
    result = _failed_for_data(report, "completeness.national_coverage")
    assert result.severity == "blocking"
    assert result.message == (
        "landelijke dekking 60,0% (3 van 5 verwachte organisaties leverden aan; "
        "ontbrekend: ORG04, ORG05) is lager dan de drempel 80% uit expectations/policy.yml"
    )


def test_region_drop_severity_follows_policy(two_missing, one_missing):
    # ORG05 alone serves AM07 in the register: all its trajectories are gone
    blocking = _failed_for_data(two_missing, "completeness.region_drop")
    assert blocking.severity == "blocking"
    assert "AM07" in blocking.metadata["by_owner"]
    assert "(−100%, drempel 50%; status no_data)" in blocking.message
    # the default policy (expectations/policy.yml) only warns
    assert one_missing.result("completeness.region_drop").severity == "warning"


# --- several quarters in one run ---------------------------------------------

PREVIOUS = "2024Q2"  # the synthetic warehouse holds the quarter before QUARTER too


@pytest.fixture(scope="session")
def previous_broken(tmp_path_factory, clean_warehouse) -> Path:
    """The clean warehouse with a share above 1 for ORG03 in PREVIOUS (QUARTER stays clean)."""
    warehouse = _copy(clean_warehouse, tmp_path_factory.mktemp("previous_broken"))
    con = duckdb.connect(str(warehouse))
    con.execute(f"""update marts.quarterly_indicators set value = 1.5
        where quarter = '{PREVIOUS}' and level = 'organisation' and organisation_code = 'ORG03'
          and indicator = 'paid_work' and trajectory_type = 'ALL' and financing = 'ALL'""")
    con.close()
    return warehouse


@pytest.fixture(scope="session")
def together(tmp_path_factory, previous_broken, seeds):
    folder = tmp_path_factory.mktemp("together")
    warehouse = _copy(previous_broken, folder)
    reports = run_quality_gates_many(warehouse, [PREVIOUS, QUARTER], folder / "published",
                                     seeds_dir=seeds)
    return reports, warehouse, folder / "published"


@pytest.fixture(scope="session")
def previous_alone(previous_broken, seeds, tmp_path_factory) -> GateReport:
    return run_quality_gates(previous_broken, PREVIOUS, tmp_path_factory.mktemp("prev"),
                             seeds_dir=seeds, build_data_docs=False, write_to_warehouse=False)


def test_many_quarters_give_the_same_results_as_one_at_a_time(together, clean, previous_alone):
    reports, _, _ = together
    assert [r.quarter for r in reports] == [PREVIOUS, QUARTER]
    assert reports[0].results == previous_alone.results
    assert reports[1].results == clean[0].results
    # the quarters differ, so the comparison cannot pass by mixing them up
    assert [r.name for r in reports[0].failed()] == [
        "marts.quarterly_indicators.share_between_0_and_1"]
    assert reports[0].failed()[0].metadata["by_owner"] == {"ORG03": 1}
    assert reports[1].failed() == []


def test_many_quarters_write_one_audit_run_and_feedback_per_quarter(together):
    reports, warehouse, publish = together
    con = duckdb.connect(str(warehouse), read_only=True)
    runs = con.execute(
        "select quarter, passed, blocking_failures, warnings from audit.quality_gate_runs "
        "order by quarter").fetchall()
    results = dict(con.execute(
        "select quarter, count(*) from audit.quality_gate_results group by quarter").fetchall())
    con.close()
    assert runs == [(r.quarter, r.passed, r.blocking_failures, r.warnings) for r in reports]
    assert results == {r.quarter: len(r.results) for r in reports}
    for report in reports:
        folder = publish / "feedback" / report.quarter
        assert sorted(p.name for p in folder.glob("*.md")) == [
            f"ORG0{i}.md" for i in range(1, 6)]
        assert report.feedback_files and report.feedback_files[0].parent == folder


def test_many_quarters_share_one_data_docs_site(together, seeds):
    reports, warehouse, publish = together
    site = publish / "data_docs"
    assert {r.data_docs_index for r in reports} == {site / "index.html"}
    for report in reports:
        overview = (site / report.quarter / "gates.html").read_text(encoding="utf-8")
        assert overview.count("<tr class=") == len(report.results)
        assert f'href="../validations/raw_banen/werkmonitor {report.quarter}/' in overview
        other = PREVIOUS if report.quarter == QUARTER else QUARTER
        assert f"werkmonitor {other}" not in overview
    root = (site / "gates.html").read_text(encoding="utf-8")
    assert f'href="{QUARTER}/gates.html"' in root and f'href="{PREVIOUS}/gates.html"' in root
    pages = sorted(site.glob("validations/raw_banen/*/*/*.html"))
    assert [p.parent.parent.name for p in pages] == [
        f"werkmonitor {PREVIOUS}", f"werkmonitor {QUARTER}"]

    # a later run of one quarter replaces that quarter's pages and keeps the other's
    run_quality_gates(warehouse, QUARTER, publish, seeds_dir=seeds, write_to_warehouse=False)
    again = sorted(site.glob("validations/raw_banen/*/*/*.html"))
    assert [p.parent.parent.name for p in again] == [
        f"werkmonitor {PREVIOUS}", f"werkmonitor {QUARTER}"]
    assert again[0] == pages[0] and again[1] != pages[1]
    # GX's own index lists the quarters of the last run only; the offline root page all
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f"werkmonitor {QUARTER}" in index
    root = (site / "gates.html").read_text(encoding="utf-8")
    assert f'href="{PREVIOUS}/gates.html"' in root


def test_a_quarter_named_twice_is_refused(clean_warehouse, seeds, tmp_path):
    with pytest.raises(ValueError, match="dubbel"):
        run_quality_gates_many(clean_warehouse, [QUARTER, QUARTER], tmp_path, seeds_dir=seeds)
