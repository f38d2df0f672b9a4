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
