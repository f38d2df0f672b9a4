"""The suite files, the policy file and the runner's handling of rules that cannot run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from quality_fixtures import copy_warehouse, generated_warehouse

from werkmonitor.config import EXPECTATIONS_DIR, SEEDS_DIR
from werkmonitor.quality import GateResult, GateRun, run_quality_gates
from werkmonitor.quality.frames import FRAME_NAMES
from werkmonitor.quality.parameters import suite_parameters
from werkmonitor.quality.policy import load_completeness_policy
from werkmonitor.quality.suites import SuiteError, load_suite, load_suites

QUARTER = "2024Q3"


def test_every_suite_file_loads_with_unique_gates():
    suites = load_suites()
    names = {suite.name for suite in suites}
    assert {"raw_trajecten", "raw_banen", "raw_organisatie", "fct_trajectory_quarters",
            "quarterly_indicators", "region_completeness", "completeness"} <= names
    gates = [gate for suite in suites for gate in suite.gates()]
    assert len(gates) == len(set(gates))
    for suite in suites:
        assert suite.frame in FRAME_NAMES, suite.path
        for exp in suite.expectations:
            severity = exp["meta"].get("severity") or exp["meta"]["severity_from_policy"]
            assert severity in ("blocking", "warning", "region_drop_severity")


def test_every_expectation_is_understood_by_great_expectations():
    from great_expectations.core.expectation_suite import ExpectationSuite

    for suite in load_suites():
        gx_suite = ExpectationSuite(name=suite.name, expectations=list(suite.expectations))
        assert len(gx_suite.expectations) == len(suite.expectations), suite.path


def test_every_parameter_comes_from_seeds_or_policy():
    params = suite_parameters(SEEDS_DIR, load_completeness_policy())
    assert len(params["regions"]) == 35 and "AM18" in params["regions"]
    assert params["trajectory_types_all"][0] == "ALL" and "NAAR_WERK" in params["trajectory_types"]
    assert params["min_national_coverage"] == 0.75
    used = set()
    for path in EXPECTATIONS_DIR.glob("*.yml"):
        used |= set(re.findall(r"\$PARAMETER: (\w+)", path.read_text(encoding="utf-8")))
    assert used and used <= set(params)


def test_policy_file_values_and_validation(tmp_path):
    policy = load_completeness_policy()
    assert (policy.min_national_coverage, policy.max_region_drop_share) == (0.75, 0.5)
    assert policy.region_drop_severity == "warning"
    bad = tmp_path / "policy.yml"
    bad.write_text("min_national_coverage: 1.5\nmax_region_drop_share: 0.5\n")
    with pytest.raises(SuiteError, match="min_national_coverage"):
        load_completeness_policy(bad)
    bad.write_text("min_national_coverage: 0.5\n")
    with pytest.raises(SuiteError, match="max_region_drop_share"):
        load_completeness_policy(bad)
    bad.write_text("min_national_coverage: 0.5\nmax_region_drop_share: 0.5\n"
                   "region_drop_severity: fatal\n")
    with pytest.raises(SuiteError, match="region_drop_severity"):
        load_completeness_policy(bad)


@pytest.mark.parametrize(
    ("meta", "error"),
    [
        ({"gate": "x.y", "description_nl": "d"}, "severity"),
        ({"gate": "x.y", "severity": "fatal", "description_nl": "d"}, "severity"),
        ({"severity": "blocking", "description_nl": "d"}, "gate"),
        ({"gate": "x.y", "severity": "blocking"}, "description_nl"),
    ],
)
def test_suite_file_errors_are_named(tmp_path, meta, error):
    path = tmp_path / "s.yml"
    path.write_text(yaml.safe_dump({
        "name": "s", "meta": {"target": "raw.banen", "frame": "raw_banen"},
        "expectations": [{"type": "expect_column_values_to_not_be_null",
                          "kwargs": {"column": "x"}, "meta": meta}],
    }))
    with pytest.raises(SuiteError, match=error):
        load_suite(path)


def test_import_does_not_load_great_expectations():
    code = ("import sys, werkmonitor.quality; "
            "print('great_expectations' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_report_counts_and_text():
    report = GateRun(quarter=QUARTER, results=[
        GateResult("a", "raw.banen", "blocking", True, "in orde"),
        GateResult("b", "raw.banen", "blocking", False, "ORG07: 3 banen-rijen ...", 3),
        GateResult("c", "marts.fct_jobs", "warning", False, "ORG01: 1 ...", 1),
    ], duration_s=2.25)
    assert (report.passed, report.blocking_failures, report.warnings) == (False, 1, 1)
    text = report.format()
    assert text.splitlines()[0] == (
        "Kwaliteitscontrole 2024Q3: AFGEKEURD — 1 blokkerende fout(en), "
        "1 waarschuwing(en), 3 controles in 2,2 s"
    )
    assert "- Blokkerend: [raw.banen] b: ORG07: 3 banen-rijen ..." in text
    assert "- Waarschuwing: [marts.fct_jobs] c: ORG01: 1 ..." in text


# --- rules that cannot run fail the gate with the reason ----------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return generated_warehouse(tmp_path_factory).warehouse


def _gates(warehouse: Path, folder: Path, **kwargs):
    return run_quality_gates(warehouse, QUARTER, internal_dir=folder / "internal",
                             organisations_dir=folder / "organisations", **kwargs)


def test_rule_on_unknown_column_fails_with_reason(small, tmp_path):
    warehouse = small
    suites = tmp_path / "expectations"
    suites.mkdir()
    shutil.copy(EXPECTATIONS_DIR / "policy.yml", suites / "policy.yml")
    (suites / "broken.yml").write_text(yaml.safe_dump({
        "name": "broken", "meta": {"target": "raw.banen", "frame": "raw_banen",
                                   "attribute_by": ["organisation_code"]},
        "expectations": [
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "uren_pw"},
             "meta": {"gate": "raw.banen.typo", "severity": "warning",
                      "description_nl": "banen zonder uren"}},
            {"type": "expect_column_values_to_not_be_null",
             "kwargs": {"column": "uren_per_week"},
             "meta": {"gate": "raw.banen.hours", "severity": "blocking",
                      "description_nl": "banen zonder uren"}},
        ],
    }))
    report = _gates(Path(warehouse), tmp_path, expectations_dir=suites,
                    build_data_docs=False, write_to_warehouse=False)
    typo = report.result("raw.banen.typo")
    assert not typo.success and typo.severity == "warning"
    assert typo.message.startswith("controle kon niet worden uitgevoerd:")
    assert "uren_pw" in typo.metadata["exception"]
    assert report.result("raw.banen.hours").success
    assert report.passed and report.warnings == 1


def test_missing_table_fails_its_gates_with_reason(small, tmp_path):
    copy = copy_warehouse(small, tmp_path)
    con = duckdb.connect(str(copy))
    con.execute("drop table marts.fct_jobs")
    con.close()
    report = _gates(copy, tmp_path, build_data_docs=False)
    result = report.result("marts.fct_jobs.known_trajectory")
    assert not result.success and result.severity == "blocking"
    assert result.message == "controle kon niet worden uitgevoerd: tabel ontbreekt: marts.fct_jobs"
    assert not report.result("marts.fct_jobs.columns_present").success
    assert {r.target for r in report.failed("blocking")} == {"marts.fct_jobs"}
    # the verdict is still recorded
    con = duckdb.connect(str(copy), read_only=True)
    assert con.execute("select passed, blocking_failures from audit.quality_gate_runs"
                       ).fetchall() == [(False, report.blocking_failures)]
    con.close()


def test_schema_gate_names_a_wrong_type(small, tmp_path):
    copy = copy_warehouse(small, tmp_path)
    con = duckdb.connect(str(copy))
    con.execute("alter table raw.banen alter uren_per_week type varchar")
    con.close()
    report = _gates(copy, tmp_path, build_data_docs=False, write_to_warehouse=False)
    result = report.result("raw.banen.column_types")
    assert not result.success and "exception" not in result.metadata
    assert result.target == "raw.banen" and result.severity == "blocking"
    assert "uren_per_week heeft type VARCHAR" in result.message


def test_missing_warehouse_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nergens.duckdb"):
        run_quality_gates(tmp_path / "nergens.duckdb", QUARTER, internal_dir=tmp_path)
