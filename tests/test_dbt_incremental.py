"""Quarter-partitioned builds give the same marts as one build of everything.

The orchestrator runs dbt per quarter (vars quarter_from / quarter_to);
incremental models must replace exactly the selected quarters (plus, for the
indicator mart, the quarter after, whose previous-quarter columns depend on
the rebuilt one) and never touch other history.
"""

from __future__ import annotations

import shutil

import dbt_fixtures
import duckdb
import pytest
from dbt_dataset import base_submissions, org01_2024q2
from dbt_fixtures import query, write_submissions
from dbt_inprocess import run_dbt as _run_dbt  # the dbt CLI in this process: no start-up

pytestmark = pytest.mark.slow


def run_dbt(*args, **kwargs) -> float:
    """``dbt_inprocess.run_dbt`` without manifest.json and run_results.json (none read here)."""
    return _run_dbt(*args, write_json=False, **kwargs)

# the one shared build (session scope), see dbt_fixtures.dbt_warehouse
dbt_warehouse = dbt_fixtures.dbt_warehouse

MARTS = {
    "fct_trajectory_quarters": "trajectory_quarter_id",
    "fct_jobs": "job_quarter_id",
    "fct_organisation_quarters": "submission_id",
    "quarterly_indicators": (
        "quarter, level, region_code, organisation_code, trajectory_type, financing,"
        " ips_scheme, ips_phase, indicator"
    ),
    "region_completeness": "quarter, region_code",
}


def snapshot(warehouse, quarters=("2024Q2", "2024Q3")):
    marks = ", ".join(f"'{q}'" for q in quarters)
    return {
        table: query(
            warehouse,
            f"select * from marts.{table} where quarter in ({marks}) order by {order}",
        )
        for table, order in MARTS.items()
    }


def test_per_quarter_builds_equal_one_build(tmp_path, dbt_warehouse):
    all_at_once = snapshot(dbt_warehouse)
    # same raw data and seeds, marts dropped: built again quarter by quarter
    path = tmp_path / "werkmonitor.duckdb"
    target = tmp_path / "target"
    shutil.copy(dbt_warehouse, path)
    con = duckdb.connect(str(path))
    con.execute("drop schema marts cascade")
    con.close()
    run_dbt(path, target, "run", quarter_from="2024Q2", quarter_to="2024Q2")
    run_dbt(path, target, "run", quarter_from="2024Q3", quarter_to="2024Q3")
    per_quarter = snapshot(path)
    assert sum(len(rows) for rows in per_quarter.values()) > 1000
    for table in MARTS:
        assert per_quarter[table] == all_at_once[table], table

    # repeating a quarter changes nothing
    run_dbt(path, target, "run", quarter_from="2024Q3", quarter_to="2024Q3")
    assert snapshot(path) == all_at_once

    # a later quarter without deliveries still gets its 35 completeness rows
    run_dbt(path, target, "run", quarter_from="2024Q4", quarter_to="2024Q4")
    statuses = query(path, """
        select status, count(*) from marts.region_completeness
        where quarter = '2024Q4' group by status order by status
    """)
    assert sum(n for _, n in statuses) == 35
    assert {status for status, _ in statuses} <= {"no_data", "no_provider"}
    assert snapshot(path) == all_at_once

    # a correction for 2024Q2 (ORG01 v2: 3 more running rows) rebuilt alone
    # also refreshes the previous-quarter columns of 2024Q3, nothing else
    old_q2 = org01_2024q2()
    old_q2.status = "superseded"
    corrected = [s for s in base_submissions() if (s.organisation_code, s.quarter)
                 != ("ORG01", "2024Q2")] + [old_q2, org01_2024q2(extra_running=3)]
    write_submissions(path, corrected)
    run_dbt(path, target, "run", quarter_from="2024Q2", quarter_to="2024Q2")
    after = snapshot(path)
    assert after["fct_trajectory_quarters"] != all_at_once["fct_trajectory_quarters"]
    q3_facts = [r for r in after["fct_trajectory_quarters"] if r[0] == "2024Q3"]
    assert q3_facts == [r for r in all_at_once["fct_trajectory_quarters"] if r[0] == "2024Q3"]
    national = query(path, """
        select quarter, value, previous_value, like_for_like_previous_value
        from marts.quarterly_indicators
        where level = 'national' and indicator = 'running' and trajectory_type = 'ALL'
          and financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL'
        order by quarter
    """)
    assert national == [("2024Q2", 8, None, None), ("2024Q3", 38, 8, 6)]


def test_quarter_whose_rebuild_yields_no_rows_loses_its_old_rows(tmp_path, dbt_warehouse):
    """issue 11 §5: every row of the only accepted versions of 2024Q2 quarantined.

    delete+insert alone deletes only the quarters that have new rows; the
    pre-hook (macro delete_selected_quarters) empties the selected quarters
    first, so 2024Q2 loses its facts and indicators and 2024Q3 compares
    against a quarter that had deliveries but no rows (absent = 0).
    """
    path = tmp_path / "werkmonitor.duckdb"
    shutil.copy(dbt_warehouse, path)
    before = query(path, "select count(*) from marts.quarterly_indicators where quarter = '2024Q2'")
    assert before[0][0] > 100
    con = duckdb.connect(str(path))
    con.execute("""
        update raw.trajecten set is_quarantined = true
        where submission_id in (
            select submission_id from audit.submissions where quarter = '2024Q2'
        )
    """)
    con.close()
    run_dbt(path, tmp_path / "target", "run", quarter_from="2024Q2", quarter_to="2024Q2")
    for table in ("fct_trajectory_quarters", "fct_jobs", "quarterly_indicators"):
        rows = query(path, f"select count(*) from marts.{table} where quarter = '2024Q2'")
        assert rows == [(0,)], table
    # both organisations still delivered (an accepted submission, every row quarantined)
    delivered = query(path, """
        select organisation_code, running_trajectories from marts.fct_organisation_quarters
        where quarter = '2024Q2' order by organisation_code
    """)
    assert delivered == [("ORG01", 0), ("ORG04", 0)]
    # 2024Q3 was rewritten too: Q2 had deliveries, so absent there = 0
    national = query(path, """
        select numerator, previous_numerator, previous_value, like_for_like_previous_value
        from marts.quarterly_indicators
        where quarter = '2024Q3' and level = 'national' and indicator = 'running'
          and trajectory_type = 'ALL' and financing = 'ALL' and ips_scheme = 'ALL'
          and ips_phase = 'ALL'
    """)
    assert national == [(38, 0, 0, 0)]
    # other quarters untouched
    q3_rows = "select count(*) from marts.fct_trajectory_quarters where quarter = '2024Q3'"
    assert query(path, q3_rows) == query(dbt_warehouse, q3_rows)
