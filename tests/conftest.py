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
