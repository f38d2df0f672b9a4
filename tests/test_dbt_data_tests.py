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
    assert failures(damaged, tmp_path / "clean", *selected) == {
        name: ("pass", 0) for name in selected
    }
    con = duckdb.connect(str(damaged))
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
