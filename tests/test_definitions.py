"""The one Definitions object loads, with the lineage and automation people expect."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime
from pathlib import Path

import pytest
from dagster import AssetKey, build_schedule_context, build_sensor_context

from werkmonitor.runner import contiguous_ranges


@pytest.fixture(scope="module")
def defs():
    from werkmonitor.definitions import defs

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


def test_groups_by_domain(defs):
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["raw_submissions"] == "ingest"
    assert groups["fct_trajectory_quarters"] == "warehouse"
    assert groups["published_warehouse"] == "publish"


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


def test_sensor_requests_only_changed_quarters(defs, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "2024Q2").mkdir(parents=True)
    (raw / "2024Q3").mkdir()
    (raw / "2024Q2" / "ORG01_2024Q2.xlsx").write_bytes(b"a")
    (raw / "2024Q3" / "ORG01_2024Q3.xlsx").write_bytes(b"b")
    monkeypatch.setenv("WERKMONITOR_RAW_DIR", str(raw))
    sensor = defs.resolve_sensor_def("raw_files_sensor")

    first = sensor.evaluate_tick(
        build_sensor_context(cursor=None, repository_def=defs.get_repository_def())
    )
    assert sorted(r.partition_key for r in first.run_requests) == ["2024Q2", "2024Q3"]

    quiet = sensor.evaluate_tick(
        build_sensor_context(cursor=first.cursor, repository_def=defs.get_repository_def())
    )
    assert quiet.run_requests == []

    # a corrected submission arrives for 2024Q3 only
    late = raw / "2024Q3" / "ORG01_2024Q3_v2.xlsx"
    late.write_bytes(b"c")
    os.utime(late, (time.time() + 5, time.time() + 5))
    again = sensor.evaluate_tick(
        build_sensor_context(cursor=first.cursor, repository_def=defs.get_repository_def())
    )
    assert [r.partition_key for r in again.run_requests] == ["2024Q3"]
    assert json.loads(again.cursor).keys() == {"2024Q2", "2024Q3"}


def test_contiguous_ranges():
    assert contiguous_ranges(["2024Q1", "2023Q4", "2024Q3"]) == [
        ("2023Q4", "2024Q1"),
        ("2024Q3", "2024Q3"),
    ]


def test_dbt_is_found_without_an_activated_venv(defs):
    """`dagster dev` prepares the manifest with a bare `dbt`: it must resolve."""
    import shutil

    from werkmonitor.dbt import DBT_EXECUTABLE

    found = shutil.which("dbt")
    assert found is not None
    assert Path(found).resolve() == Path(DBT_EXECUTABLE).resolve()
