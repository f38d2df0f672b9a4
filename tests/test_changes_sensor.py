"""The sensor and the run plan know what is loaded: content hashes, not file times.

A small generated landing zone goes through the real loader (no dbt); the
sensor is then evaluated against that warehouse: nothing to do, a touched
file changes nothing, a changed file requests its quarter and the next one as
one range run.
"""

from __future__ import annotations

import os
import time

import pytest
from dagster import RunRequest, SkipReason, build_sensor_context

from werkmonitor.automation import SETTLE_SECONDS, affected_quarters, sensor_request
from werkmonitor.changes import pending_files, read_state
from werkmonitor.plan import plan_run, record_builds

QUARTERS = ["2024Q2", "2024Q3", "2024Q4"]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    from werkmonitor.generate import generate_landing_zone
    from werkmonitor.loader import load_quarter

    base = tmp_path_factory.mktemp("sensor")
    raw, warehouse = base / "raw", base / "warehouse" / "werkmonitor.duckdb"
    generate_landing_zone(raw, scale=0.05, seed=11, first="2024Q2", last="2024Q4")
    for quarter in QUARTERS:
        load_quarter(quarter, raw, warehouse)
    old = time.time() - 10 * SETTLE_SECONDS  # the landing zone settled long ago
    for path in raw.rglob("*"):
        os.utime(path, (old, old))
    return raw, warehouse


@pytest.fixture
def env(loaded, monkeypatch):
    raw, warehouse = loaded
    monkeypatch.setenv("WERKMONITOR_RAW_DIR", str(raw))
    monkeypatch.setenv("WERKMONITOR_WAREHOUSE", str(warehouse))
    return raw, warehouse


def _a_csv(raw, quarter):
    folder = next(p for p in sorted((raw / quarter).iterdir()) if p.is_dir())
    return folder / "trajecten.csv"


def test_a_fully_loaded_warehouse_requests_nothing(env):
    raw, warehouse = env
    assert pending_files(raw, read_state(warehouse), QUARTERS) == {}
    assert isinstance(sensor_request(), SkipReason)


def test_the_sensor_tick_itself_requests_nothing(env):
    from werkmonitor.automation import raw_files_sensor

    result = raw_files_sensor.evaluate_tick(build_sensor_context(cursor=None))
    assert result.run_requests == []


def test_a_touched_or_copied_back_file_requests_nothing(env):
    raw, _ = env
    target = _a_csv(raw, "2024Q3")
    content = target.read_bytes()
    target.write_bytes(content)  # copied back: new mtime, same bytes
    os.utime(target, (time.time() + 600, time.time() + 600))
    assert isinstance(sensor_request(now=time.time() + 3600), SkipReason)


def test_a_changed_file_requests_its_quarter_and_the_next_as_one_run(env):
    raw, _ = env
    target = _a_csv(raw, "2024Q3")
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"\n")
        waiting = sensor_request(now=target.stat().st_mtime + 1)
        assert isinstance(waiting, SkipReason) and "settle" in waiting.skip_message
        request = sensor_request(now=target.stat().st_mtime + SETTLE_SECONDS + 1)
        assert isinstance(request, RunRequest)
        assert request.tags["dagster/asset_partition_range_start"] == "2024Q3"
        assert request.tags["dagster/asset_partition_range_end"] == "2024Q4"
    finally:
        target.write_bytes(original)


def test_several_quarters_become_one_range():
    pending = {"2024Q1": ["a"], "2024Q3": ["b"]}
    known = {"2024Q1", "2024Q2", "2024Q3", "2024Q4"}
    assert affected_quarters(pending, known) == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert affected_quarters({"2024Q4": ["c"]}, known) == ["2024Q4"]


def test_plan_rebuilds_a_changed_quarter_and_what_depends_on_it(env, tmp_path):
    import shutil

    raw, warehouse = env
    copy = tmp_path / "werkmonitor.duckdb"
    shutil.copy(warehouse, copy)
    plan = plan_run(raw, copy, QUARTERS, QUARTERS)
    assert plan.to_run == QUARTERS and plan.reasons["2024Q2"] == "not built yet"
    record_builds(copy, dict.fromkeys(QUARTERS, "published"), "run-1")
    assert plan_run(raw, copy, QUARTERS, QUARTERS).to_run == []
    assert plan_run(raw, copy, ["2024Q3"], QUARTERS).to_run == []
    target = _a_csv(raw, "2024Q3")
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"\n")
        changed = plan_run(raw, copy, ["2024Q3"], QUARTERS)
        # Q3 changed: Q3 and the later quarter built from it; Q2 stays as it is
        assert changed.to_run == ["2024Q3", "2024Q4"]
        assert "depends on 2024Q3" in changed.reasons["2024Q4"]
    finally:
        target.write_bytes(original)
    record_builds(copy, {"2024Q4": "reports_failed"}, "run-2")
    assert plan_run(raw, copy, QUARTERS, QUARTERS).to_run == ["2024Q4"]
