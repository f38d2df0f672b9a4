"""A change in quarter Q rebuilds and republishes what depends on Q, and nothing else.

Issue 12: "when something did change in quarter Q, what depends on Q is rebuilt
and republished too — the next quarter's comparison columns, cohorts as of Q
and later". Three quarters go through ``werkmonitor run --all``; then one
organisation sends a corrected 2024Q3 (half its trajectories) and only
``--quarter 2024Q3`` is asked for. The plan must add 2024Q4; the *published*
file must carry 2024Q4's comparison with the new 2024Q3 and new cohort curves
as of 2024Q3 and 2024Q4, while 2024Q2 (which reads nothing of Q3) keeps its
publication and its cohort rows exactly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

WERKMONITOR = str(Path(sys.executable).with_name("werkmonitor"))
RUNNING = (
    "level = 'national' and indicator = 'running' and trajectory_type = 'ALL'"
    " and financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL'"
)


def _env(base: Path) -> dict[str, str]:
    return {
        **os.environ,
        "WERKMONITOR_RAW_DIR": str(base / "raw"),
        "WERKMONITOR_WAREHOUSE": str(base / "warehouse" / "werkmonitor.duckdb"),
        "WERKMONITOR_PUBLISH_DIR": str(base / "published"),
        "WERKMONITOR_ORGANISATIONS_DIR": str(base / "organisations"),
        "DAGSTER_HOME": str(base / "dagster_home"),
    }


def _run(base: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([WERKMONITOR, "run", "--quiet", *args], env=_env(base),
                          capture_output=True, text=True, timeout=1200)


def _run_here(base: Path, *args: str) -> subprocess.CompletedProcess:
    """``_run`` in the test process (tests/pipeline_runs.py): the same command line
    without a fresh interpreter's ≈11 CPU s of imports and Dagster start-up."""
    from pipeline_runs import run_here

    return run_here(_env(base), "--quiet", *args)


def _published(base: Path) -> dict:
    with duckdb.connect(str(base / "published" / "werkmonitor.duckdb"), read_only=True) as con:
        running = dict(con.execute(
            f"select quarter, numerator from quarterly_indicators where {RUNNING}"
        ).fetchall())
        previous = dict(con.execute(
            f"select quarter, previous_numerator from quarterly_indicators where {RUNNING}"
        ).fetchall())
        versions = dict(con.execute(
            "select distinct quarter, quarter_publication_id from publication"
        ).fetchall())
        cohorts = {
            quarter: con.execute(
                "select * from cohort_outcomes where as_of_quarter = ? order by all", [quarter]
            ).fetchall()
            for quarter in ("2024Q2", "2024Q3", "2024Q4")
        }
    return {"running": running, "previous": previous, "versions": versions, "cohorts": cohorts}


def _marts_q2(base: Path) -> list[tuple]:
    with duckdb.connect(str(base / "warehouse" / "werkmonitor.duckdb"), read_only=True) as con:
        return con.execute(
            "select * from marts.quarterly_indicators where quarter = '2024Q2' order by all"
        ).fetchall()


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    from werkmonitor.generate import generate_landing_zone

    base = tmp_path_factory.mktemp("dependents")
    generate_landing_zone(base / "raw", scale=0.2, seed=7, first="2024Q2", last="2024Q4")
    first = _run_here(base, "--all")
    assert first.returncode == 0, first.stderr[-3000:]
    before, q2_before = _published(base), _marts_q2(base)
    # a corrected version of one organisation's 2024Q3 folder: half its trajectories
    folder = next(p for p in sorted((base / "raw" / "2024Q3").iterdir()) if p.is_dir())
    fixed = folder.with_name(folder.name + "_v2")
    shutil.copytree(folder, fixed)
    lines = (fixed / "trajecten.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (fixed / "trajecten.csv").write_text("".join(lines[: 1 + (len(lines) - 1) // 2]),
                                         encoding="utf-8")
    again = _run_here(base, "--quarter", "2024Q3", "--timings", str(base / "timings.json"))
    assert again.returncode == 0, again.stderr[-3000:]
    timings = json.loads((base / "timings.json").read_text())
    return base, before, q2_before, _published(base), timings


def test_the_plan_adds_the_quarter_that_depends_on_the_correction(corrected):
    *_, timings = corrected
    assert timings["plan"]["to_run"] == ["2024Q3", "2024Q4"]
    assert timings["plan"]["reasons"] == {
        "2024Q3": "new or changed files", "2024Q4": "depends on 2024Q3",
    }
    assert [run["range"] for run in timings["runs"]] == [["2024Q3", "2024Q4"]]


def test_the_next_quarters_published_comparison_reads_the_new_quarter(corrected):
    _, before, _, after, _ = corrected
    assert after["running"]["2024Q3"] < before["running"]["2024Q3"]  # half a submission less
    assert before["previous"]["2024Q4"] == before["running"]["2024Q3"]
    assert after["previous"]["2024Q4"] == after["running"]["2024Q3"]  # republished, not stale
    assert after["running"]["2024Q4"] == before["running"]["2024Q4"]  # Q4's own data unchanged


def test_cohorts_as_of_the_quarter_and_later_are_republished(corrected):
    _, before, _, after, _ = corrected
    assert after["cohorts"]["2024Q3"] != before["cohorts"]["2024Q3"]
    assert after["cohorts"]["2024Q4"] != before["cohorts"]["2024Q4"]
    assert after["cohorts"]["2024Q2"] == before["cohorts"]["2024Q2"]  # reads nothing of Q3


def test_the_quarter_before_keeps_its_publication_and_marts(corrected):
    base, before, q2_before, after, _ = corrected
    assert after["versions"]["2024Q2"] == before["versions"]["2024Q2"]  # carried over
    assert after["versions"]["2024Q3"] != before["versions"]["2024Q3"]
    assert after["versions"]["2024Q4"] != before["versions"]["2024Q4"]
    assert _marts_q2(base) == q2_before


def test_after_the_correction_nothing_is_pending(corrected):
    base, *_ = corrected
    quiet = _run(base, "--all")
    assert quiet.returncode == 0, quiet.stderr[-3000:]
    assert "nothing rebuilt" in quiet.stdout
