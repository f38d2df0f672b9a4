"""Trajectory histories from hand-made submissions, raw tables to the model.

The end-to-end counterpart of the dbt unit tests in
models/intermediate/cohorts/_cohorts__models.yml: corrections, quarantine and
superseded versions are decided upstream (int_submissions_selected,
int_trajectories_filtered), so only a run from the raw tables shows that the
history takes them into account. The landing zone starts in 2023Q4.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest
from dbt_fixtures import Submission, d, query, write_submissions
from dbt_inprocess import run_dbt as _run_dbt  # the dbt CLI in this process: no start-up
from dbt_once import seed_and_run

pytestmark = pytest.mark.slow


def run_dbt(*args, **kwargs) -> float:
    """``dbt_inprocess.run_dbt`` without manifest.json and run_results.json (none read here)."""
    return _run_dbt(*args, write_json=False, **kwargs)


def _ips(traject_id, start, end=None, phase="GOEDGEKEURD", **extra):
    return {"traject_id": traject_id, "trajecttype": "IPS", "ips_regeling": "EPA",
            "fase": phase, "startdatum": d(start), "einddatum": d(end) if end else None,
            "uitstroomreden": "OVERIG" if end else None, **extra}


def submissions(correction_financing: str = "GEMEENTE") -> list[Submission]:
    q4 = Submission("ORG01", "2023Q4", trajectories=[
        _ips("MOVES", "2023-10-01", phase="ORIENTATIE"),
        _ips("VANISHES", "2023-11-01"),
        _ips("OLD", "2021-05-03"),
    ], jobs=[
        # started before the landing zone's first quarter: month 16
        {"traject_id": "OLD", "startdatum": d("2022-08-15"), "uren_per_week": 20.0},
    ])
    q1_first = Submission("ORG01", "2024Q1", status="superseded", version="a", trajectories=[
        _ips("MOVES", "2024-02-01", phase="AANGEVRAAGD"),
        _ips("VANISHES", "2023-11-01"),
        _ips("CORRECTED", "2024-01-05", financiering="UWV"),
        _ips("QUARANTINED", "2024-01-15"),
        _ips("REOPENED", "2024-01-20", end="2024-03-15"),
        _ips("EARLY_JOB", "2024-01-10"),
    ])
    q1_corrected = Submission("ORG01", "2024Q1", version="b", trajectories=[
        *[row for row in q1_first.trajectories if row["traject_id"] != "CORRECTED"],
        _ips("CORRECTED", "2024-01-08", financiering=correction_financing),
    ], jobs=[
        # before the trajectory's start: counts from the start, month 1
        {"traject_id": "EARLY_JOB", "startdatum": d("2023-11-01"), "uren_per_week": 8.0},
    ])
    q2 = Submission("ORG01", "2024Q2", trajectories=[
        _ips("MOVES", "2024-02-01", phase="GOEDGEKEURD"),
        _ips("QUARANTINED", "2024-01-15", financiering="OVERIG", is_quarantined=True),
        _ips("REOPENED", "2024-01-20"),
        _ips("EARLY_JOB", "2024-01-10"),
    ], jobs=[
        {"traject_id": "EARLY_JOB", "startdatum": d("2023-11-01"), "uren_per_week": 8.0},
    ])
    return [q4, q1_first, q1_corrected, q2]


COLUMNS = (
    "latest_quarter, financing, ips_phase, start_date, end_date, observed_end_date,"
    " first_job_date, first_sustainable_job_date, first_job_month, end_month, observed_end_month"
)


def histories(warehouse, as_of):
    rows = query(warehouse, f"""
        select traject_id, {COLUMNS} from intermediate.int_trajectory_histories_assembled
        where as_of_quarter = ? order by traject_id
    """, [as_of])
    return {row[0]: row[1:] for row in rows}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    base = tmp_path_factory.mktemp("cohort-histories")
    path = base / "werkmonitor.duckdb"
    write_submissions(path, submissions())
    seed_and_run(path, base / "target", "+cohort_outcomes")
    return path


def test_history_as_of_2023q4(warehouse):
    assert histories(warehouse, "2023Q4") == {
        # orientation is not a trajectory yet
        "OLD": ("2023Q4", "UWV", "GOEDGEKEURD", d("2021-05-03"), None, d("2023-12-31"),
                d("2022-08-15"), d("2022-08-15"), 16, None, 32),
        "VANISHES": ("2023Q4", "UWV", "GOEDGEKEURD", d("2023-11-01"), None, d("2023-12-31"),
                     None, None, None, None, 2),
    }


def test_history_as_of_2024q2(warehouse):
    got = histories(warehouse, "2024Q2")
    assert got == {
        # moved from orientation to IPS: the IPS start, the latest phase
        "MOVES": ("2024Q2", "UWV", "GOEDGEKEURD", d("2024-02-01"), None, d("2024-06-30"),
                  None, None, None, None, 5),
        # the corrected 2024Q1 submission, not the superseded one
        "CORRECTED": ("2024Q1", "GEMEENTE", "GOEDGEKEURD", d("2024-01-08"), None,
                      d("2024-03-31"), None, None, None, None, 3),
        # latest row quarantined: observed up to the last accepted row
        "QUARANTINED": ("2024Q1", "UWV", "GOEDGEKEURD", d("2024-01-15"), None,
                        d("2024-03-31"), None, None, None, None, 3),
        # reopened: the latest row has no end date, so it runs
        "REOPENED": ("2024Q2", "UWV", "GOEDGEKEURD", d("2024-01-20"), None, d("2024-06-30"),
                     None, None, None, None, 6),
        # job before the start counts from the start; 8 hours is not sustainable
        "EARLY_JOB": ("2024Q2", "UWV", "GOEDGEKEURD", d("2024-01-10"), None, d("2024-06-30"),
                      d("2024-01-10"), None, 1, None, 6),
        # vanished after 2024Q1 without an end date
        "VANISHES": ("2024Q1", "UWV", "GOEDGEKEURD", d("2023-11-01"), None, d("2024-03-31"),
                     None, None, None, None, 5),
        "OLD": ("2023Q4", "UWV", "GOEDGEKEURD", d("2021-05-03"), None, d("2023-12-31"),
                d("2022-08-15"), d("2022-08-15"), 16, None, 32),
    }


def test_reopened_had_an_end_as_of_2024q1(warehouse):
    got = histories(warehouse, "2024Q1")
    assert got["REOPENED"][3:6] == (d("2024-01-20"), d("2024-03-15"), d("2024-03-15"))
    assert got["REOPENED"][-2:] == (2, 2)
    assert "MOVES" in got and got["MOVES"][2] == "AANGEVRAAGD"


def test_correction_rebuilds_later_as_of_quarters(tmp_path, warehouse):
    """A new version of 2024Q1 built with quarter_from = quarter_to = 2024Q1
    changes the history as of 2024Q1 and as of 2024Q2 (where CORRECTED's
    latest row is still the 2024Q1 one), and leaves as of 2023Q4 alone."""
    path = tmp_path / "werkmonitor.duckdb"
    shutil.copy(warehouse, path)
    before = {q: histories(path, q) for q in ("2023Q4", "2024Q1", "2024Q2")}
    con = duckdb.connect(str(path))
    con.execute(
        "update audit.submissions set status = 'superseded'"
        " where submission_id like 'ORG01_2024Q1_%'"
    )
    con.close()
    again = submissions(correction_financing="OVERIG")
    newest = Submission("ORG01", "2024Q1", version="c", trajectories=again[2].trajectories,
                        jobs=again[2].jobs)
    staged = tmp_path / "staged.duckdb"
    write_submissions(staged, [newest])
    con = duckdb.connect(str(path))
    con.execute(f"attach '{staged}' as staged (read_only)")
    for table in ("raw.trajecten", "raw.banen", "raw.organisatie"):
        con.execute(f"insert into {table} select * from staged.{table}")
    con.execute(
        "insert into audit.submissions"
        " select * replace (100 as load_order) from staged.audit.submissions"
    )
    con.close()
    run_dbt(path, tmp_path / "target", "run", "--select", "+cohort_outcomes",
            quarter_from="2024Q1", quarter_to="2024Q1")
    after = {q: histories(path, q) for q in ("2023Q4", "2024Q1", "2024Q2")}
    assert after["2023Q4"] == before["2023Q4"]
    for quarter in ("2024Q1", "2024Q2"):
        assert after[quarter]["CORRECTED"][1] == "OVERIG"
        assert {k: v for k, v in after[quarter].items() if k != "CORRECTED"} == {
            k: v for k, v in before[quarter].items() if k != "CORRECTED"
        }
    financing = query(path, """
        select financing, sum(at_risk) from marts.cohort_outcomes
        where as_of_quarter = '2024Q2' and level = 'national' and trajectory_type = 'IPS'
          and start_cohort = 'ALL' and outcome = 'paid_work' and month = 1
          and financing <> 'ALL' group by 1 order by 1
    """)
    assert financing == [("OVERIG", 1), ("UWV", 6)]


def test_per_quarter_builds_equal_one_build(tmp_path, warehouse):
    """Building quarter by quarter, in order, gives the histories and the mart
    of one build of everything; building a quarter again changes nothing."""
    tables = {
        "intermediate.int_trajectory_histories_assembled": "trajectory_history_id",
        "marts.cohort_outcomes": (
            "as_of_quarter, level, region_code, trajectory_type, financing, ips_scheme,"
            " start_cohort, outcome, month"
        ),
    }

    def snapshot(path):
        return {t: query(path, f"select * from {t} order by {o}") for t, o in tables.items()}

    path = tmp_path / "werkmonitor.duckdb"
    shutil.copy(warehouse, path)
    con = duckdb.connect(str(path))
    for table in (*tables, "intermediate.int_trajectory_versions_dated"):
        con.execute(f"drop table {table}")
    con.close()
    for quarter in ("2023Q4", "2024Q1", "2024Q2", "2024Q1"):
        run_dbt(path, tmp_path / "target", "run", "--select", "int_trajectory_versions_dated+",
                quarter_from=quarter, quarter_to=quarter)
    assert snapshot(path) == snapshot(warehouse)
