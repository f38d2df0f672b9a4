"""The pipeline's few dbt data tests catch what the many column tests did.

Not-null is a contract constraint on the marts (DuckDB refuses the row), and
one singular test per mart checks its grain and that every code is in the
reference data. Each check is shown failing on a copy of the small warehouse
with one defect put in by hand.
"""

from __future__ import annotations

import contextlib
import json
import shutil

import dbt_fixtures
import duckdb
import pytest
from dbt_fixtures import run_dbt

pytestmark = pytest.mark.slow

dbt_warehouse = dbt_fixtures.dbt_warehouse


@pytest.fixture
def damaged(dbt_warehouse, tmp_path):
    path = tmp_path / "werkmonitor.duckdb"
    shutil.copy(dbt_warehouse, path)
    return path


def failures(path, target, *selected):
    with contextlib.suppress(RuntimeError):  # failures are read from run_results.json
        run_dbt(path, target, "test", "--select", *selected)
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    return {r["unique_id"].split(".")[-1]: (r["status"], r["failures"]) for r in results["results"]}


def clean_then_damage(path, tmp_path, selected):
    """Every selected test passes on the clean copy; a connection to damage it."""
    assert failures(path, tmp_path / "clean", *selected) == {name: ("pass", 0) for name in selected}
    return duckdb.connect(str(path))


def test_not_null_is_enforced_by_the_contract(damaged):
    con = duckdb.connect(str(damaged))
    try:
        with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
            con.execute("update marts.fct_trajectory_quarters set region_code = null"
                        " where traject_id = 'P1'")
        with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
            con.execute("update marts.quarterly_indicators set indicator_label_nl = null"
                        " where indicator = 'running'")
    finally:
        con.close()


def test_singular_tests_fail_on_unknown_codes_and_broken_grain(damaged, tmp_path):
    selected = ("assert_fct_trajectory_quarters_valid", "assert_quarterly_indicators_valid",
                "assert_region_completeness_valid")
    con = clean_then_damage(damaged, tmp_path, selected)
    con.execute("update marts.fct_trajectory_quarters"
                " set trajectory_type = 'IPZ', region_code = 'AM99'"
                " where traject_id = 'P1' and quarter = '2024Q3'")
    con.execute("insert into marts.quarterly_indicators select * from marts.quarterly_indicators"
                " where indicator = 'running' and level = 'national' and trajectory_type = 'ALL'"
                " and financing = 'ALL' and quarter = '2024Q3'")
    con.execute("update marts.region_completeness set mark = '' where status = 'no_provider'")
    con.close()
    result = failures(damaged, tmp_path / "damaged", *selected)
    assert result["assert_fct_trajectory_quarters_valid"] == ("fail", 2)  # type and region
    assert result["assert_quarterly_indicators_valid"] == ("fail", 1)  # the duplicate
    assert result["assert_region_completeness_valid"][0] == "fail"


def test_contracts_enforce_the_dims_keys_and_cohort_not_null(damaged):
    """The dims' codes are primary keys and cohort_outcomes' columns not null:
    the contract makes DuckDB refuse the row (were: 11 unique, 13 not_null tests)."""
    con = duckdb.connect(str(damaged))
    try:
        with pytest.raises(duckdb.ConstraintException, match="(?i)duplicate key"):
            con.execute("insert into marts.dim_regions select * from marts.dim_regions limit 1")
        with pytest.raises(duckdb.ConstraintException, match="(?i)duplicate key"):
            con.execute("insert into marts.dim_indicators select * from marts.dim_indicators"
                        " where indicator = 'running'")
        with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
            con.execute("update marts.cohort_outcomes set at_risk = null")
    finally:
        con.close()


def test_folded_checks_still_fail_on_their_defects(damaged, tmp_path):
    """What the removed tests checked, each now one problem row of the model's
    singular test: outflow partition (was its own test), every region in every
    built quarter (was its own test), cohort levels / months (accepted_values),
    histories unique and not null (a unique and eleven not_null tests)."""
    selected = ("assert_fct_trajectory_quarters_valid", "assert_region_completeness_valid",
                "assert_cohort_outcomes_valid", "assert_int_trajectory_histories_assembled_valid")
    con = clean_then_damage(damaged, tmp_path, selected)
    con.execute("update marts.fct_trajectory_quarters set outflow_category = null"
                " where trajectory_quarter_id = (select min(trajectory_quarter_id)"
                " from marts.fct_trajectory_quarters where is_ended)")
    con.execute("delete from marts.region_completeness where region_code = 'AM01'"
                " and quarter = '2024Q3'")
    con.execute("update marts.cohort_outcomes set level = 'province', month = 40"
                " where rowid = (select min(rowid) from marts.cohort_outcomes)")
    con.execute("insert into intermediate.int_trajectory_histories_assembled"
                " select * from intermediate.int_trajectory_histories_assembled limit 1")
    con.execute("update intermediate.int_trajectory_histories_assembled set start_year = null"
                " where rowid = (select max(rowid)"
                " from intermediate.int_trajectory_histories_assembled)")
    con.close()
    result = failures(damaged, tmp_path / "damaged", *selected)
    assert result == {
        "assert_fct_trajectory_quarters_valid": ("fail", 1),  # the partition
        "assert_region_completeness_valid": ("fail", 1),  # AM01 missing in 2024Q3
        "assert_cohort_outcomes_valid": ("fail", 2),  # the level and the month
        "assert_int_trajectory_histories_assembled_valid": ("fail", 2),  # duplicate, null
    }
