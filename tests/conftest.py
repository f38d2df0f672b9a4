"""Shared test set-up: no test ever touches the repository's own warehouse.

Every test session gets its own raw dir, warehouse, publish dir and
DAGSTER_HOME under pytest's temp dir; tests that need their own paths set the
variables themselves (monkeypatch), which wins over these defaults.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

if os.environ.get("WERKMONITOR_TEST_CPU"):  # measuring: CPU seconds per test and fixture
    from cpu_profile import (  # noqa: F401
        pytest_fixture_setup,
        pytest_runtest_call,
        pytest_runtest_setup,
        pytest_runtest_teardown,
    )


# --- heaviest files first ----------------------------------------------------
# `make test` runs `pytest -n 2 --dist loadfile`: each file goes whole to one of
# the two workers, in the order of the work queue, and xdist by default orders
# that queue by the number of tests in a file — the 139 quick golden-figure
# checks first, the few pipeline runs last, so one worker was left with a long
# tail. Longest first (measured CPU seconds per file, tests/cpu_profile.py,
# docs/performance.md) lets the workers finish together. Only the order
# changes: every file still runs whole, its tests in their own order.
# The coverage test second: it builds nothing shared, so the second worker runs
# it while the first builds the Q3 run that both e2e files read (before the
# split the second worker waited for that build's lock).
HEAVY_FIRST = (
    "test_pipeline_e2e.py",
    "test_pipeline_e2e_coverage.py",
    "test_pipeline_e2e_quarters.py",
    "test_orchestration_dependents.py",  # three `werkmonitor run`s in one fixture: was last
    "test_properties_pipeline.py",
    "test_dbt_incremental.py",
    "test_cohort_lifelines.py",
    "test_quality_gates.py",
    "test_cohort_histories.py",
    "test_reports_failures.py",
    "test_reports_incremental.py",
    "test_dbt_data_tests.py",
    "test_quality_suites.py",
    "test_reports_render.py",
    "test_dashboard_browser.py",
    "test_dbt_unit.py",
    "test_dbt_indicators.py",
    "test_reports_tiers.py",
    "test_dbt_new_indicator.py",
    "test_cohort_estimator.py",
)


def pytest_configure(config):
    if hasattr(config.option, "loadscopereorder"):  # pytest-xdist: keep our order
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    rank = {name: index for index, name in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files stay whole


@pytest.fixture(scope="session", autouse=True)
def _isolated_paths(tmp_path_factory):
    base = tmp_path_factory.mktemp("werkmonitor-session")
    defaults = {
        "WERKMONITOR_RAW_DIR": base / "raw",
        "WERKMONITOR_WAREHOUSE": base / "warehouse" / "werkmonitor.duckdb",
        "WERKMONITOR_PUBLISH_DIR": base / "published",
        "WERKMONITOR_ORGANISATIONS_DIR": base / "organisations",
        "DAGSTER_HOME": base / "dagster_home",
    }
    saved = {key: os.environ.get(key) for key in defaults}
    for key, value in defaults.items():
        os.environ[key] = str(value)
    (base / "dagster_home").mkdir()
    yield base
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


# --- Hypothesis profiles ----------------------------------------------------
# The property suites (tests/test_properties_*.py) run a small, fixed budget in
# CI and a larger one in the benchmark: WERKMONITOR_HYPOTHESIS_PROFILE=bench.
# Examples are derandomised in CI so a failure reproduces on every machine.

from hypothesis import HealthCheck, settings  # noqa: E402

HYPOTHESIS_PROFILE = os.environ.get("WERKMONITOR_HYPOTHESIS_PROFILE", "ci")
_BUDGETS = {
    "ci": {"submissions": 50, "zones": 4},  # + the two explicit zones = 6 zones
    "bench": {"submissions": 500, "zones": 40},
}
settings.register_profile(
    "ci", deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "bench", deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(HYPOTHESIS_PROFILE)


def hypothesis_budget(kind: str) -> int:
    """Examples per property test for this profile (``submissions`` or ``zones``)."""
    return _BUDGETS[HYPOTHESIS_PROFILE][kind]
