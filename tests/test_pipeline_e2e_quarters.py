"""The pipeline over several quarters, through ``werkmonitor run``.

A later quarter leaves the earlier one as it was and compares with it; a
corrected quarter rebuilds the next quarter's comparison; a quarter with too
little coverage is stopped before publication without holding back a sound
one (test_pipeline_e2e_coverage.py). Split from test_pipeline_e2e.py so that
the two xdist workers run the suite's longest chains of pipeline runs side by
side; the Q3 run (and its 2024Q4 continuation) is shared between them
(``e2e_fixtures``).
"""

from __future__ import annotations

import json
import shutil

import duckdb
import e2e_fixtures
import pytest
from e2e_fixtures import mart_rows, private_copy, run, run_here

pytestmark = pytest.mark.slow

q3_warehouse = e2e_fixtures.q3_warehouse
q4_warehouse = e2e_fixtures.q4_warehouse


def test_a_later_quarter_leaves_the_earlier_one_unchanged(q3_warehouse, q4_warehouse, tmp_path):
    q3_only, _ = q3_warehouse
    before = mart_rows(q3_only, "2024Q3")
    # q4_warehouse: the Q3 run followed by `werkmonitor run --quarter 2024Q4`
    assert mart_rows(q4_warehouse, "2024Q3") == before
    # Q4's comparison columns point at Q3's values
    with duckdb.connect(str(q4_warehouse / "warehouse" / "werkmonitor.duckdb"),
                        read_only=True) as con:
        (previous,) = con.execute(
            """
            select previous_numerator from marts.quarterly_indicators
            where quarter = '2024Q4' and level = 'national' and indicator = 'running'
              and trajectory_type = 'ALL' and financing = 'ALL'
              and ips_scheme = 'ALL' and ips_phase = 'ALL'
            """
        ).fetchone()
    assert previous == 4763
    base = private_copy(q4_warehouse, tmp_path)
    rerun = run(base, "--quarter", "2024Q3")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert mart_rows(base, "2024Q3") == before


def test_a_corrected_quarter_rebuilds_the_next_quarters_comparison(q4_warehouse, tmp_path):
    """Q changed: Q and the quarter after it are rebuilt; Q+1 compares with the new Q."""
    base = private_copy(q4_warehouse, tmp_path)
    # a corrected version of one organisation's Q3 submission: half its trajectories
    first = sorted((base / "raw" / "2024Q3").iterdir())[0]
    corrected = first.with_name(first.name + "_v2")
    shutil.copytree(first, corrected)
    lines = (corrected / "trajecten.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (corrected / "trajecten.csv").write_text(
        "".join(lines[: 1 + (len(lines) - 1) // 2]), encoding="utf-8"
    )
    again = run_here(base, "--quarter", "2024Q3", "--timings", str(base / "t.json"))
    assert again.returncode == 0, again.stderr[-3000:]
    assert json.loads((base / "t.json").read_text())["plan"]["to_run"] == ["2024Q3", "2024Q4"]
    with duckdb.connect(str(base / "warehouse" / "werkmonitor.duckdb"), read_only=True) as con:
        q3, q4_previous = con.execute(
            """
            select max(numerator) filter (where quarter = '2024Q3'),
                   max(previous_numerator) filter (where quarter = '2024Q4')
            from marts.quarterly_indicators
            where level = 'national' and indicator = 'running' and trajectory_type = 'ALL'
              and financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL'
            """
        ).fetchone()
    assert q3 < 4763
    assert q4_previous == q3
    # and nothing changed since: the next run rebuilds nothing
    quiet = run(base, "--quarter", "2024Q3")
    assert quiet.returncode == 0 and "nothing rebuilt" in quiet.stdout
