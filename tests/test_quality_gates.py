"""The quality gates on a real warehouse, clean and broken on purpose.

The warehouse is built the way production builds it: the demo generator
writes a tiny landing zone (2024Q2–2024Q3, scale 0.05, seed 42, the real
register, with its defects), ``werkmonitor.loader`` loads it and ``dbt build``
builds it (``quality_fixtures``). What the defects are is read back from the
generator's summary and ``audit.*`` — 2024Q3 has quarantined rows in four
organisations, 2024Q2 one file rejected for a ``bsn`` column, and three
organisations miss 2024Q3 — so the expectations below are computed, not
copied. Each variant is validated once per module (GX is slow to import and
to run); the tests read the one gate run.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from quality_fixtures import copy_warehouse, generated_warehouse

from werkmonitor.quality import GateRun, run_quality_gates, run_quality_gates_many
from werkmonitor.quality.feedback import feedback_path

QUARTER = "2024Q3"
PREVIOUS = "2024Q2"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return generated_warehouse(tmp_path_factory)


def _query(warehouse: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _run(warehouse: Path, folder: Path, quarter: str = QUARTER, **kwargs) -> GateRun:
    return run_quality_gates(warehouse, quarter, internal_dir=folder / "internal",
                             organisations_dir=folder / "organisations", **kwargs)


@pytest.fixture(scope="module")
def clean(tmp_path_factory, built):
    folder = tmp_path_factory.mktemp("clean_run")
    warehouse = copy_warehouse(built.warehouse, folder)
    return _run(warehouse, folder), warehouse, folder


def _accepted(org: str, quarter: str = QUARTER) -> str:
    return (f"(select submission_id from audit.submissions where organisation_code = '{org}'"
            f" and quarter = '{quarter}' and status = 'accepted')")


BREAKS = [
    # raw: ORG04's first job points to a trajectory that is not in its submission
    f"""update raw.banen set traject_id = 'ORG04-T99999'
        where submission_id = {_accepted('ORG04')} and source_row = 2""",
    # raw: ORG05 repeats a traject_id in one submission (not quarantined)
    f"""insert into raw.trajecten select * replace (999 as source_row) from raw.trajecten
        where submission_id = {_accepted('ORG05')} and source_row = 2""",
    # raw: ORG04 sends a job of 95 hours the loader did not quarantine
    f"""update raw.banen set uren_per_week = 95
        where submission_id = {_accepted('ORG04')} and source_row = 3""",
    # fact: two ORG02 trajectories with sustainable work but no paid work
    """update marts.fct_trajectory_quarters set has_sustainable_paid_work = true,
              has_paid_work = false, has_ever_paid_work = true
       where quarter = '2024Q3' and traject_id in ('02B000019', '02F000020')""",
    # mart: a share above 1 for ORG03
    """update marts.quarterly_indicators set value = 1.5, numerator = denominator * 1.5
       where quarter = '2024Q3' and level = 'organisation' and organisation_code = 'ORG03'
         and indicator = 'paid_work' and trajectory_type = 'ALL' and financing = 'ALL'
         and ips_scheme = 'ALL' and ips_phase = 'ALL'""",
    # mart: national running for IPS/ALL one more than the sum over organisations
    """update marts.quarterly_indicators set numerator = numerator + 1, value = value + 1
       where quarter = '2024Q3' and level = 'national' and indicator = 'running'
         and trajectory_type = 'IPS' and financing = 'ALL' and ips_scheme = 'ALL'
         and ips_phase = 'ALL'""",
    # mart: region AM05 missing from region_completeness
    "delete from marts.region_completeness where quarter = '2024Q3' and region_code = 'AM05'",
    # mart: AM02 counts one expected organisation more than the register
    """update marts.region_completeness set organisations_expected = organisations_expected + 1
       where quarter = '2024Q3' and region_code = 'AM02'""",
]


@pytest.fixture(scope="module")
def broken(tmp_path_factory, built) -> GateRun:
    folder = tmp_path_factory.mktemp("broken_run")
    warehouse = copy_warehouse(built.warehouse, folder)
    with duckdb.connect(str(warehouse)) as con:
        for sql in BREAKS:
            con.execute(sql)
    return _run(warehouse, folder, build_data_docs=False)


@pytest.fixture(scope="module")
def sparse(tmp_path_factory) -> GateRun:
    """2024Q3 from ORG01…ORG25 only: coverage far below the threshold, regions dropping."""
    keep = tuple(f"ORG{i:02d}" for i in range(1, 26))
    other = generated_warehouse(tmp_path_factory, keep=keep)
    folder = tmp_path_factory.mktemp("sparse_run")
    policy = folder / "policy.yml"
    policy.write_text(
        "min_national_coverage: 0.8\nmax_region_drop_share: 0.5\n"
        "region_drop_severity: blocking\nregion_drop_min_previous: 0\n",
        encoding="utf-8",
    )
    warehouse = copy_warehouse(other.warehouse, folder)
    return _run(warehouse, folder, policy_path=policy, build_data_docs=False)


# --- a clean quarter (with the demo's defects, which the loader set aside) -----


def test_clean_quarter_passes_every_gate(clean):
    """Only warning: regions whose running count fell because an organisation did not
    deliver — exactly the regions marked ``*``, which is what the warning is for."""
    run, warehouse, _ = clean
    failed = [r.name for r in run.results if not r.success]
    assert failed == ["completeness.region_drop"]
    assert run.passed and run.blocking_failures == 0 and run.warnings == 1
    starred = {r for (r,) in _query(warehouse, "select region_code from "
               "marts.region_completeness where quarter = ? and mark = '*'", [QUARTER])}
    dropped = set(run.result("completeness.region_drop").metadata["by_owner"])
    assert dropped and dropped <= starred
    assert len(run.results) > 90  # every expectation of every suite file ran
    assert "GESLAAGD" in run.format()


def test_quarantined_rows_are_not_counted_again(clean, built):
    """The generator's extra rows (bad date, unknown code, job without trajectory) were
    quarantined by the loader; the raw gates on the same rules still pass."""
    run, warehouse, _ = clean
    planned = built.generated["defects"]["quarantined_rows"][QUARTER]
    loaded = dict(_query(warehouse, "select organisation_code, rows_quarantined from "
                         "audit.submissions where quarter = ? and rows_quarantined > 0",
                         [QUARTER]))
    assert loaded == planned and len(planned) >= 2
    for gate in ("raw.banen.known_trajectory", "raw.trajecten.start_date_present",
                 "raw.trajecten.financing_known", "raw.trajecten.traject_id_unique"):
        assert run.result(gate).success, gate


def test_data_docs_and_details_in_the_internal_tier(clean):
    run, _, folder = clean
    site = folder / "internal" / "data_docs"
    assert run.data_docs_index == site / "index.html"
    html = run.data_docs_index.read_text(encoding="utf-8")
    assert "raw_trajecten" in html and "quarterly_indicators" in html
    # the offline overview lists every gate and links each to its suite's GX page
    overview = (site / QUARTER / "gates.html").read_text(encoding="utf-8")
    assert overview.count("<tr class=") == len(run.results)
    assert f'href="../validations/raw_banen/werkmonitor {QUARTER}/' in overview
    import json

    details = json.loads((folder / "internal" / "gates" / f"{QUARTER}.json").read_text())
    assert details["passed"] is True and len(details["results"]) == len(run.results)
    assert details["results"][0]["name"] == run.results[0].name
    # nothing of the gates lands anywhere but the internal and organisation tiers
    assert {p.name for p in folder.iterdir()} == {"internal", "organisations", "warehouse"}


def test_gate_runs_written_to_audit(clean):
    run, warehouse, _ = clean
    runs = _query(warehouse, "select quarter, passed, blocking_failures, warnings, summary "
                  "from audit.quality_gate_runs")
    results = _query(warehouse, "select count(*), count(*) filter (where success) "
                     "from audit.quality_gate_results where quarter = '2024Q3'")[0]
    types = dict(_query(warehouse, "select column_name, data_type from information_schema.columns"
                        " where table_schema = 'audit' and table_name = 'quality_gate_runs'"))
    assert len(runs) == 1
    quarter, passed, blocking, warnings, summary = runs[0]
    assert (quarter, passed, blocking, warnings) == ("2024Q3", True, 0, 1)
    assert summary.startswith("Kwaliteitscontrole 2024Q3: GESLAAGD")
    assert results == (len(run.results), len(run.results) - 1)
    assert types["run_at"] == "TIMESTAMP" and types["passed"] == "BOOLEAN"


def test_feedback_file_for_org_with_quarantined_rows(clean, built):
    run, warehouse, folder = clean
    path = feedback_path(folder / "organisations", "ORG02", QUARTER)
    assert path in run.feedback_files
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Terugkoppeling werkmonitor: ORG02 ")
    assert "kwartaal 3 van 2024" in text.splitlines()[0]
    assert "## Rijen in quarantaine" in text
    rows = _query(warehouse, """
        select q.sheet, q.source_row, q.traject_id, q.column_name, q.value, q.rule_code
        from audit.quarantined_rows q join audit.submissions s using (submission_id)
        where s.organisation_code = 'ORG02' and s.quarter = '2024Q3'""")
    assert len(rows) == built.generated["defects"]["quarantined_rows"][QUARTER]["ORG02"]
    for sheet, row, traject, column, value, rule in rows:
        assert f"| {sheet} | {row} | {traject} | {column} | {value} | {rule} |" in text
    assert "Alle controles op uw geaccepteerde gegevens zijn geslaagd." in text


def test_feedback_for_an_organisation_that_did_not_deliver(clean, built):
    run, warehouse, folder = clean
    missing = _query(warehouse, "select distinct unnest(missing_organisations) from "
                     "marts.region_completeness where quarter = ? order by 1", [QUARTER])
    assert missing, "the demo has organisations that miss the quarter"
    org = missing[0][0]
    text = feedback_path(folder / "organisations", org, QUARTER).read_text(encoding="utf-8")
    assert "geen aanlevering van u ontvangen" in text
    coverage = run.result("completeness.national_coverage")
    starred = sorted(r for (r,) in _query(warehouse, "select region_code from "
                     "marts.region_completeness where quarter = ? and mark = '*'", [QUARTER]))
    assert coverage.success and coverage.metadata["incomplete_regions"] == starred
    assert coverage.message.startswith("in orde; regio's gemarkeerd met * ")


def test_feedback_file_for_rejected_submission(tmp_path, built):
    rejected = built.generated["defects"]["rejected"]
    org = rejected.split("/")[1].split("_")[0]
    assert rejected.startswith(PREVIOUS)
    run = _run(copy_warehouse(built.warehouse, tmp_path), tmp_path, PREVIOUS,
               build_data_docs=False, write_to_warehouse=False)
    text = feedback_path(tmp_path / "organisations", org, PREVIOUS).read_text(encoding="utf-8")
    assert f"### Afgekeurd: {rejected}" in text
    assert "| trajecten | 1 | bsn | Bestand " in text and "[identifier_column]" in text
    assert "Geen rijen apart gezet." in text
    assert "Geen geaccepteerde gegevens om te controleren." in text
    assert run.passed


# --- broken on purpose -------------------------------------------------------


def _failed_for_data(run: GateRun, gate: str):
    """The gate failed because of the data, not because GX could not compute it."""
    result = run.result(gate)
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
    # both rows carrying ORG05's first traject_id are reported
    assert result.unexpected_count == 2
    assert result.message.startswith("ORG05: 2 trajecten-rijen met een traject_id dat vaker")


def test_raw_hours_out_of_range_uses_the_format_bounds(broken):
    result = _failed_for_data(broken, "raw.banen.hours_in_range")
    assert result.metadata["by_owner"] == {"ORG04": 1}
    assert result.metadata["rows"][0]["uren_per_week"] == 95
    # the bound in the message is the catalogue's, not a number in the suite
    assert "ORG04: 95,0 uur (rij 3; toegestaan 0–80)" in result.message


def test_fact_sustainable_without_paid_work(broken):
    result = _failed_for_data(broken, "marts.fct_trajectory_quarters.sustainable_within_paid")
    assert result.target == "marts.fct_trajectory_quarters"
    assert result.severity == "blocking"
    assert result.message == (
        "ORG02: 2 trajecten met duurzaam betaald werk maar zonder betaald werk"
    )
    # has_ever_paid_work was set too, so the next rule in the chain holds
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


def test_region_counts_checked_against_register(broken, built):
    (expected,) = _query(built.warehouse, "select organisations_expected from "
                         "marts.region_completeness where quarter = ? and region_code = 'AM02'",
                         [QUARTER])[0]
    result = _failed_for_data(broken, "marts.region_completeness.expected_matches_register")
    assert result.severity == "warning"
    assert result.message == (
        "AM02: 1 regio's waar het aantal verwachte organisaties afwijkt van het register"
        f" — AM02: mart {expected + 1}, register {expected}"
    )


def test_broken_run_fails_with_each_break_and_nothing_else(broken):
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
        "completeness.region_drop",  # as in the clean run
    }
    assert broken.blocking_failures == 8 and broken.warnings == 3
    text = broken.format()
    assert "AFGEKEURD" in text and "Blokkerend: [raw.banen] raw.banen.known_trajectory" in text


def test_feedback_names_failed_checks_for_the_organisation(broken):
    path = next(p for p in broken.feedback_files if p.parent.parent.name == "ORG04")
    text = path.read_text(encoding="utf-8")
    assert "**blokkerend** (raw.banen): 1 banen-rijen verwijzen naar een onbekend traject" in text
    assert "rij 2 (traject ORG04-T99999)" in text


# --- completeness ------------------------------------------------------------


def test_coverage_below_threshold_blocks_with_reason(sparse):
    result = _failed_for_data(sparse, "completeness.national_coverage")
    assert result.severity == "blocking"
    # 45 active organisations are expected in 2024Q3; of ORG01…ORG25, ORG11 and ORG24
    # did not deliver in the generated zone either
    assert result.message.startswith("landelijke dekking 51,1% (23 van 45 verwachte")
    assert result.message.endswith("is lager dan de drempel 80% uit expectations/policy.yml")
    assert "ORG11" in result.message and "ORG26" in result.message


def test_region_drop_severity_follows_policy(sparse, clean):
    blocking = _failed_for_data(sparse, "completeness.region_drop")
    assert blocking.severity == "blocking"
    assert "drempel 50%" in blocking.message
    # the default policy (expectations/policy.yml) only warns
    assert clean[0].result("completeness.region_drop").severity == "warning"


# --- several quarters in one run ---------------------------------------------


@pytest.fixture(scope="module")
def previous_broken(tmp_path_factory, built) -> Path:
    """The warehouse with a share above 1 for ORG03 and region AM01 twice in the
    completeness mart, both in PREVIOUS (QUARTER stays clean)."""
    warehouse = copy_warehouse(built.warehouse, tmp_path_factory.mktemp("previous_broken"))
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"""update marts.quarterly_indicators set value = 1.5
            where quarter = '{PREVIOUS}' and level = 'organisation' and organisation_code = 'ORG03'
              and indicator = 'paid_work' and trajectory_type = 'ALL' and financing = 'ALL'
              and ips_scheme = 'ALL' and ips_phase = 'ALL'""")
        con.execute(f"""insert into marts.region_completeness select * from
            marts.region_completeness where quarter = '{PREVIOUS}' and region_code = 'AM01'""")
    return warehouse


@pytest.fixture(scope="module")
def together(tmp_path_factory, previous_broken):
    folder = tmp_path_factory.mktemp("together")
    warehouse = copy_warehouse(previous_broken, folder)
    runs = run_quality_gates_many(warehouse, [PREVIOUS, QUARTER],
                                  internal_dir=folder / "internal",
                                  organisations_dir=folder / "organisations")
    return runs, warehouse, folder


@pytest.fixture(scope="module")
def previous_alone(previous_broken, tmp_path_factory) -> GateRun:
    return _run(previous_broken, tmp_path_factory.mktemp("prev"), PREVIOUS,
                build_data_docs=False, write_to_warehouse=False)


def test_many_quarters_give_the_same_results_as_one_at_a_time(together, clean, previous_alone):
    runs, _, _ = together
    assert [r.quarter for r in runs] == [PREVIOUS, QUARTER]
    assert runs[0].results == previous_alone.results
    assert runs[1].results == clean[0].results
    # the quarters differ, so the comparison cannot pass by mixing them up
    assert [r.name for r in runs[0].failed("blocking")] == [
        "marts.quarterly_indicators.share_between_0_and_1",
        "marts.region_completeness.one_row_per_region"]
    assert runs[0].failed()[0].metadata["by_owner"] == {"ORG03": 1}
    # AM01 once per quarter is no duplicate: only PREVIOUS has it twice
    assert runs[0].result("marts.region_completeness.one_row_per_region").metadata[
        "by_owner"] == {"AM01": 2}
    assert [r.name for r in runs[1].failed()] == ["completeness.region_drop"]
    # the defect of one quarter blocks that quarter only
    assert [r.passed for r in runs] == [False, True]


def test_many_quarters_write_one_audit_run_and_feedback_per_quarter(together):
    runs, warehouse, folder = together
    audit = _query(warehouse, "select quarter, passed, blocking_failures, warnings "
                   "from audit.quality_gate_runs order by quarter")
    results = dict(_query(warehouse, "select quarter, count(*) from audit.quality_gate_results "
                          "group by quarter"))
    assert audit == [(r.quarter, r.passed, r.blocking_failures, r.warnings) for r in runs]
    assert results == {r.quarter: len(r.results) for r in runs}
    for run in runs:
        files = sorted(folder.glob(f"organisations/*/{run.quarter}/feedback.md"))
        assert files == sorted(run.feedback_files) and len(files) >= 43


def test_many_quarters_share_one_data_docs_site(together):
    """One GX page per suite for the run (its batch holds both quarters); each quarter's
    overview links to it until a later run checks that quarter again."""
    runs, warehouse, folder = together
    site = folder / "internal" / "data_docs"
    both = f"werkmonitor {PREVIOUS}..{QUARTER}"
    assert {r.data_docs_index for r in runs} == {site / "index.html"}
    for run in runs:
        overview = (site / run.quarter / "gates.html").read_text(encoding="utf-8")
        assert overview.count("<tr class=") == len(run.results)
        assert f'href="../validations/raw_banen/{both}/' in overview
    root = (site / "gates.html").read_text(encoding="utf-8")
    assert f'href="{QUARTER}/gates.html"' in root and f'href="{PREVIOUS}/gates.html"' in root
    pages = sorted(site.glob("validations/raw_banen/*/*/*.html"))
    assert [p.parent.parent.name for p in pages] == [both]

    # a later run of one quarter links that quarter to its own page; the range's page
    # stays while the other quarter still links to it
    _run(warehouse, folder, QUARTER, write_to_warehouse=False)
    again = sorted(site.glob("validations/raw_banen/*/*/*.html"))
    assert [p.parent.parent.name for p in again] == [both, f"werkmonitor {QUARTER}"]
    assert again[0] == pages[0]
    assert f"validations/raw_banen/werkmonitor {QUARTER}/" in (
        site / QUARTER / "gates.html").read_text(encoding="utf-8")
    assert f"validations/raw_banen/{both}/" in (
        site / PREVIOUS / "gates.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f"werkmonitor {QUARTER}" in index
    root = (site / "gates.html").read_text(encoding="utf-8")
    assert f'href="{PREVIOUS}/gates.html"' in root

    # once no quarter links to the range's pages, they are removed
    _run(warehouse, folder, PREVIOUS, write_to_warehouse=False)
    last = sorted(site.glob("validations/*/*"))
    assert {p.name for p in last} == {f"werkmonitor {PREVIOUS}", f"werkmonitor {QUARTER}"}


def test_a_quarter_named_twice_is_refused(built, tmp_path):
    with pytest.raises(ValueError, match="dubbel"):
        run_quality_gates_many(built.warehouse, [QUARTER, QUARTER], internal_dir=tmp_path)
