"""The dbt unit tests (given rows, expected rows) of models/, run by pytest.

The pipeline's ``dbt build`` leaves them out (``--exclude-resource-type
unit_test``): they test the SQL, not the data, and need only the models'
columns, which the shared small warehouse provides. Each unit test is one
case here, so a failure names the test.
"""

from __future__ import annotations

import json
import shutil

import dbt_fixtures
import pytest
from dbt_inprocess import run_dbt  # the dbt CLI in this process: no start-up per call

pytestmark = pytest.mark.slow

dbt_warehouse = dbt_fixtures.dbt_warehouse


@pytest.fixture(scope="module")
def unit_results(dbt_warehouse, tmp_path_factory):
    base = tmp_path_factory.mktemp("dbt-unit")
    path = base / "werkmonitor.duckdb"
    shutil.copy(dbt_warehouse, path)
    target = base / "target"
    try:
        run_dbt(path, target, "test", "--select", "test_type:unit")
    except RuntimeError as failure:  # the per-test results below say which
        print(failure)
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    return {r["unique_id"].rsplit(".", 1)[-1]: r for r in results["results"]}


def test_every_model_with_logic_has_unit_tests(unit_results):
    tested = {r["unique_id"].split(".")[2] for r in unit_results.values()}
    assert {
        "int_jobs_classified", "int_trajectory_quarters_enriched", "int_deliveries_compared",
        "int_trajectory_groups_counted", "int_indicator_breakdowns", "int_indicator_values",
        "int_indicators_compared", "quarterly_indicators", "int_submissions_selected",
        "int_trajectories_filtered", "int_jobs_filtered", "region_completeness",
        "regional_ambition", "fct_organisation_quarters", "dim_quarters",
    } <= tested
    assert len(unit_results) >= 15


def test_unit_tests_pass(unit_results):
    failed = {name: r["message"] for name, r in unit_results.items() if r["status"] != "pass"}
    assert not failed, failed
