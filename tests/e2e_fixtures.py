"""The Q3 2024 pipeline run that the end-to-end tests share, and their helpers.

``werkmonitor run`` on the landing zone built to the published Q3 2024
national figures is the suite's most expensive input (a full pipeline run in
a fresh process), so it is made once per test run for both e2e files and
both xdist workers (``shared_build``), as is its continuation into 2024Q4.
Both are read-only; a test that runs the pipeline again first takes a
``private_copy``.

``run`` starts ``werkmonitor run`` as a user does, in a fresh process (the Q3
run, whose output the e2e tests read, and the cheap re-runs); ``run_here``
runs the same command line in the test process (``pipeline_runs``), for the
runs whose outcome, not their process, is under test: it saves the ≈11 CPU s
of imports and Dagster start-up a fresh process pays before its first run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pipeline_runs import run_here as _run_here
from published_q3_2024 import build_landing_zone
from shared_build import copy_tree, shared_dir

WERKMONITOR = str(Path(sys.executable).with_name("werkmonitor"))


def env_for(base: Path) -> dict[str, str]:
    return {
        **os.environ,
        "WERKMONITOR_RAW_DIR": str(base / "raw"),
        "WERKMONITOR_WAREHOUSE": str(base / "warehouse" / "werkmonitor.duckdb"),
        "WERKMONITOR_PUBLISH_DIR": str(base / "published"),
        "DAGSTER_HOME": str(base / "dagster_home"),
    }


def run(base: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [WERKMONITOR, "run", *args],
        env=env_for(base),
        capture_output=True,
        text=True,
        timeout=900,
    )


def run_here(base: Path, *args: str) -> subprocess.CompletedProcess:
    """``run(base, *args)`` in this process: same environment, same result fields."""
    return _run_here(env_for(base), *args)


def mart_rows(base: Path, quarter: str) -> list[tuple]:
    with duckdb.connect(str(base / "warehouse" / "werkmonitor.duckdb"), read_only=True) as con:
        return con.execute(
            "select * exclude (previous_numerator, previous_denominator, previous_value,"
            " change_absolute, change_relative, change_percentage_points)"
            " from marts.quarterly_indicators where quarter = ? order by all",
            [quarter],
        ).fetchall()


def national_figures(base: Path, quarter: str) -> dict:
    with duckdb.connect(str(base / "warehouse" / "werkmonitor.duckdb"), read_only=True) as con:
        rows = con.execute(
            """
            select indicator, trajectory_type, financing, numerator, denominator
            from marts.quarterly_indicators
            where quarter = ? and level = 'national' and ips_scheme = 'ALL' and ips_phase = 'ALL'
            """,
            [quarter],
        ).fetchall()
    return {(i, t, f): (n, d) for i, t, f, n, d in rows}


def build_q3(base: Path) -> None:
    """The Q3 2024 landing zone through ``werkmonitor run``; its stdout kept beside it."""
    build_landing_zone(base / "raw")
    first = run(base, "--quarter", "2024Q3", "--timings", str(base / "timings.json"))
    assert first.returncode == 0, first.stderr[-3000:]
    (base / "first_run.stdout").write_text(first.stdout, encoding="utf-8")


@pytest.fixture(scope="session")
def q3_warehouse(tmp_path_factory):
    """One run of the Q3 zone for the whole test run (both e2e files, both workers).

    Read-only: a test that runs the pipeline again works on ``private_copy``.
    """
    base = shared_dir(tmp_path_factory, "e2e-q3", "build_landing_zone 2024Q3", build_q3)
    return base, (base / "first_run.stdout").read_text(encoding="utf-8")


def private_copy(source: Path, tmp_path: Path) -> Path:
    """A writable copy of a shared run (``q3_warehouse[0]``, ``q4_warehouse``)."""
    return copy_tree(source, tmp_path / "copy")


@pytest.fixture(scope="session")
def q4_warehouse(tmp_path_factory, q3_warehouse):
    """The shared Q3 run continued with a generated 2024Q4 (``run --quarter 2024Q4``)."""

    def build(base: Path) -> None:
        from werkmonitor.generate import generate_landing_zone

        source, _ = q3_warehouse
        shutil.rmtree(base)
        copy_tree(source, base)
        generate_landing_zone(base / "gen", scale=0.2, seed=7, first="2024Q4", last="2024Q4")
        shutil.move(base / "gen" / "2024Q4", base / "raw" / "2024Q4")
        shutil.rmtree(base / "gen")
        later = run_here(base, "--quarter", "2024Q4")
        assert later.returncode == 0, later.stderr[-3000:]

    return shared_dir(tmp_path_factory, "e2e-q4", "2024Q4 scale 0.2 seed 7", build)
