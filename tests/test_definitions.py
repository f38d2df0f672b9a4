"""The one Definitions object loads, with the lineage and automation people expect."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from dagster import AssetKey, build_schedule_context

from werkmonitor.runner import contiguous_ranges


@pytest.fixture(scope="module")
def defs():
    from werkmonitor.dbt import ensure_manifest

    ensure_manifest()  # the entry points' job: importing the definitions never parses
    path_before = os.environ.get("PATH")
    from werkmonitor.definitions import defs

    assert os.environ.get("PATH") == path_before  # no side effects at import
    return defs


def test_all_definitions_load(defs):
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    for expected in [
        "raw_submissions",
        "regions",
        "organisations",
        "stg_submissions__trajectories",
        "fct_trajectory_quarters",
        "quarterly_indicators",
        "region_completeness",
        "published_warehouse",
        "quarterly_reports",
    ]:
        assert expected in keys
    assert defs.resolve_job_def("quarterly_pipeline") is not None
    assert defs.resolve_schedule_def("quarterly_schedule") is not None
    assert defs.resolve_sensor_def("raw_files_sensor") is not None


def test_lineage_runs_from_ingest_to_publication(defs):
    graph = defs.resolve_asset_graph()
    upstream = graph.get(AssetKey("stg_submissions__trajectories")).parent_keys
    assert AssetKey("raw_submissions") in upstream
    ancestors = set()
    frontier = {AssetKey("published_warehouse")}
    while frontier:
        key = frontier.pop()
        for parent in graph.get(key).parent_keys:
            if parent not in ancestors:
                ancestors.add(parent)
                frontier.add(parent)
    assert {AssetKey("quarterly_indicators"), AssetKey("raw_submissions")} <= ancestors


def test_groups_by_layer(defs):
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["raw_submissions"] == "ingest"
    assert groups["regions"] == "reference"
    assert groups["stg_submissions__trajectories"] == "staging"
    assert groups["int_submissions_selected"] == "intermediate"
    assert groups["fct_trajectory_quarters"] == "marts"
    assert groups["quarterly_indicators"] == "marts"
    assert groups["published_warehouse"] == "publish"
    assert "warehouse" not in groups.values()


def test_dbt_tests_are_one_check_per_asset(defs):
    """Not one planned check per dbt test: one summarising check per tested asset."""
    checks = defs.resolve_asset_graph().asset_check_keys
    dbt_checks = {key.asset_key.to_user_string() for key in checks if key.name == "dbt_tests"}
    assert {"quarterly_indicators", "fct_trajectory_quarters", "dim_regions"} <= dbt_checks
    # source tests on raw.* report on the asset that writes them
    assert "raw_submissions" in dbt_checks
    assert len(checks) < 60
    per_asset = [key for key in checks if key.asset_key.to_user_string() == "quarterly_indicators"]
    assert {key.name for key in per_asset} >= {"dbt_tests", "publication_gate"}


def test_partitions_are_quarters_from_2022q4(defs):
    graph = defs.resolve_asset_graph()
    partitions = graph.get(AssetKey("fct_trajectory_quarters")).partitions_def
    keys = partitions.get_partition_keys()
    assert keys[:3] == ["2022Q4", "2023Q1", "2023Q2"]
    assert "2024Q3" in keys


def test_quality_gates_guard_the_marts(defs):
    checks = {key.name: key.asset_key for key in defs.resolve_asset_graph().asset_check_keys}
    assert checks["indicators_quality"] == AssetKey("quarterly_indicators")
    assert checks["region_completeness_gate"] == AssetKey("region_completeness")


def test_schedule_requests_the_quarter_that_just_ended(defs):
    schedule = defs.resolve_schedule_def("quarterly_schedule")
    repo = defs.get_repository_def()
    context = build_schedule_context(
        scheduled_execution_time=datetime(2024, 10, 15, 6, 0), repository_def=repo
    )
    request = schedule.evaluate_tick(context).run_requests[0]
    assert request.partition_key == "2024Q3"
    context = build_schedule_context(
        scheduled_execution_time=datetime(2025, 1, 15, 6, 0), repository_def=repo
    )
    assert schedule.evaluate_tick(context).run_requests[0].partition_key == "2024Q4"


def test_contiguous_ranges():
    assert contiguous_ranges(["2024Q1", "2023Q4", "2024Q3"]) == [
        ("2023Q4", "2024Q1"),
        ("2024Q3", "2024Q3"),
    ]


def test_dbt_runs_beside_the_interpreter(defs):
    """Both doors run the `dbt` of this venv, without an activated venv or PATH change."""
    import sys

    from werkmonitor.assets.warehouse import BUILD_ARGS, dbt_resource, project
    from werkmonitor.dbt import DBT_EXECUTABLE, ManifestPreparer

    assert Path(DBT_EXECUTABLE).parent == Path(sys.executable).parent
    assert dbt_resource().dbt_executable == DBT_EXECUTABLE
    assert isinstance(project.preparer, ManifestPreparer)
    assert BUILD_ARGS[-2:] == ["--exclude-resource-type", "unit_test"]


def test_the_dbt_resource_starts_no_second_dbt_and_opens_no_adapter(defs, monkeypatch):
    """dagster-dbt would run ``dbt --version`` and open a dbt-core adapter in this process
    per invocation (≈5 CPU s together); ours overrides both private members. When a
    dagster-dbt upgrade renames them the overrides silently stop working: this fails."""
    from importlib.metadata import version

    import dagster_dbt.core.resource as dagster_dbt_resource
    from dagster_dbt import DbtCliResource

    from werkmonitor.assets.warehouse import WerkmonitorDbtResource

    for name in ("_cli_version", "_initialize_dbt_core_adapter"):
        assert name in vars(DbtCliResource), f"dagster-dbt no longer has {name}"
        assert name in vars(WerkmonitorDbtResource)

    def no_process(*args, **kwargs):
        raise AssertionError(f"a dbt process was started: {args}")

    monkeypatch.setattr(dagster_dbt_resource, "check_output", no_process)
    resource = defs.resources["dbt"]
    assert isinstance(resource, WerkmonitorDbtResource)
    assert str(resource._cli_version) == version("dbt-core")
    assert resource._initialize_dbt_core_adapter(["build"]) is None


def test_dbt_builds_in_this_process(defs, tmp_path, monkeypatch):
    """One materialization of a seed through the dbt asset (a subset, as ``dagster dev``
    selects one): no ``dbt`` child, the 35 labour-market regions loaded, run_results.json
    written without the manifest, and the database closed after the build."""
    import subprocess
    from types import SimpleNamespace

    import dagster_dbt.core.dbt_cli_invocation as invocation_module
    import duckdb
    from dagster import materialize

    from werkmonitor.assets.warehouse import dbt_resource, warehouse_dbt
    from werkmonitor.resources import WarehouseResource

    def no_process(*args, **kwargs):
        raise AssertionError(f"a dbt process was started: {args}")

    # dagster-dbt's own Popen of the dbt child (dbt itself may run `uname`)
    monkeypatch.setattr(invocation_module, "subprocess",
                        SimpleNamespace(Popen=no_process, PIPE=subprocess.PIPE,
                                        STDOUT=subprocess.STDOUT))
    warehouse = tmp_path / "werkmonitor.duckdb"
    result = materialize(
        [warehouse_dbt], selection=[AssetKey("regions")], partition_key="2024Q3",
        resources={"dbt": dbt_resource(), "warehouse": WarehouseResource(warehouse=str(warehouse))},
    )
    assert result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized == {AssetKey("regions")}
    with duckdb.connect(str(warehouse)) as con:  # read-write: dbt let go of the file
        assert con.execute("select count(*) from reference.regions").fetchone()[0] == 35
