"""The whole pipeline through its front door, ``werkmonitor run``.

A landing zone built to the published Q3 2024 national figures goes through
load → dbt → quality gates → publish in a fresh process, as a user runs it;
the mart must reproduce the publication, re-runs must give identical rows,
and a quarter with too little coverage must be stopped before publication.
These runs are the slowest tests in the suite (one dbt build each), so one
session-scoped warehouse serves every assertion that can share it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from published_q3_2024 import build_landing_zone, mismatches

pytestmark = pytest.mark.slow

WERKMONITOR = str(Path(sys.executable).with_name("werkmonitor"))


def _env(base: Path) -> dict[str, str]:
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
        env=_env(base),
        capture_output=True,
        text=True,
        timeout=900,
    )


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


@pytest.fixture(scope="module")
def q3_warehouse(tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e-q3")
    build_landing_zone(base / "raw")
    first = run(base, "--quarter", "2024Q3", "--timings", str(base / "timings.json"))
    assert first.returncode == 0, first.stderr[-3000:]
    return base, first


def test_run_reproduces_the_published_q3_2024_figures(q3_warehouse):
    base, first = q3_warehouse
    assert mismatches(national_figures(base, "2024Q3")) == []
    # the summary the user sees carries the same headline figures, Dutch style
    assert "4.763" in first.stdout
    assert "1.786 (37,5%)" in first.stdout
    assert "43 geaccepteerd, 0 afgewezen" in first.stdout
    # progress: every stage starts and ends, with the dbt models and test count
    for stage in ("load", "dbt", "quality", "publish", "reports"):
        assert re.search(rf"s  {stage} +started", first.stdout), stage
        assert re.search(rf"s  {stage} +done in", first.stdout), stage
    assert re.search(r"dbt +quarterly_indicators \(", first.stdout)
    assert re.search(r"dbt +\d+ models and seeds built, \d+ tests run", first.stdout)


def test_run_publishes_an_aggregate_file_and_reports(q3_warehouse):
    base, _ = q3_warehouse
    published = base / "published" / "werkmonitor.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        quarters = {
            q
            for (q,) in con.execute("select distinct quarter from quarterly_indicators").fetchall()
        }
        columns = {
            c.lower()
            for (c,) in con.execute("select column_name from information_schema.columns").fetchall()
        }
    assert quarters == {"2024Q3"}
    assert not columns & {"traject_id", "baan_nr", "submission_id"}
    national = base / "published" / "reports" / "2024Q3"
    assert any(national.glob("landelijk_2024Q3.html"))


def test_rerun_of_the_same_quarter_is_identical(q3_warehouse):
    base, _ = q3_warehouse
    before = mart_rows(base, "2024Q3")
    again = run(base, "--quarter", "2024Q3")
    assert again.returncode == 0, again.stderr[-3000:]
    assert mart_rows(base, "2024Q3") == before
    # nothing new was loaded: every file was seen before
    with duckdb.connect(str(base / "warehouse" / "werkmonitor.duckdb"), read_only=True) as con:
        (submissions,) = con.execute("select count(*) from audit.submissions").fetchone()
    assert submissions == 43


def test_status_shows_the_quarter_published_and_a_new_file_pending(q3_warehouse, tmp_path):
    base, _ = q3_warehouse
    status = subprocess.run(
        [WERKMONITOR, "status"], env=_env(base), capture_output=True, text=True, timeout=300
    )
    assert status.returncode == 0, status.stderr[-2000:]
    line = next(x for x in status.stdout.splitlines() if x.startswith("2024Q3:"))
    assert "43 files in raw/; loaded: 43 accepted; 0 rows quarantined; nothing pending" in line
    assert "gates passed; published (data version " in line
    assert "last run: SUCCESS" in line
    # a late file, not loaded yet: pending until the next run (on a copy of the landing zone)
    shutil.copytree(base / "raw", tmp_path / "raw")
    first = sorted((tmp_path / "raw" / "2024Q3").iterdir())[0]
    late = first.with_name(first.name + "_v2")
    shutil.copytree(first, late)
    (late / "organisatie.csv").write_text(
        (first / "organisatie.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    env = {**_env(base), "WERKMONITOR_RAW_DIR": str(tmp_path / "raw")}
    pending = subprocess.run(
        [WERKMONITOR, "status"], env=env, capture_output=True, text=True, timeout=300
    )
    assert "1 pending" in pending.stdout and f"pending: 2024Q3/{late.name}" in pending.stdout


def test_a_later_quarter_leaves_the_earlier_one_unchanged(q3_warehouse, tmp_path):
    base, _ = q3_warehouse
    before = mart_rows(base, "2024Q3")
    from werkmonitor.generate import generate_landing_zone

    generate_landing_zone(tmp_path / "gen", scale=0.2, seed=7, first="2024Q4", last="2024Q4")
    shutil.copytree(tmp_path / "gen" / "2024Q4", base / "raw" / "2024Q4")
    later = run(base, "--quarter", "2024Q4")
    assert later.returncode == 0, later.stderr[-3000:]
    assert mart_rows(base, "2024Q3") == before
    # Q4's comparison columns point at Q3's values
    with duckdb.connect(str(base / "warehouse" / "werkmonitor.duckdb"), read_only=True) as con:
        (previous,) = con.execute(
            """
            select previous_numerator from marts.quarterly_indicators
            where quarter = '2024Q4' and level = 'national' and indicator = 'running'
              and trajectory_type = 'ALL' and financing = 'ALL'
              and ips_scheme = 'ALL' and ips_phase = 'ALL'
            """
        ).fetchone()
    assert previous == 4763
    rerun = run(base, "--quarter", "2024Q3")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert mart_rows(base, "2024Q3") == before


def test_a_quarter_below_the_coverage_threshold_is_blocked(tmp_path):
    from werkmonitor.generate import generate_landing_zone

    generate_landing_zone(tmp_path / "gen", scale=0.2, seed=3, first="2024Q2", last="2024Q2")
    quarter_dir = tmp_path / "raw" / "2024Q2"
    quarter_dir.mkdir(parents=True)
    for submission in sorted((tmp_path / "gen" / "2024Q2").iterdir())[:5]:
        target = quarter_dir / submission.name
        copy = shutil.copytree if submission.is_dir() else shutil.copy2
        copy(submission, target)
    blocked = run(tmp_path, "--quarter", "2024Q2")
    assert blocked.returncode == 1  # nothing published
    assert "publication_gate" in blocked.stderr
    assert "national_coverage" in blocked.stderr or "dekking" in blocked.stderr.lower()
    assert not (tmp_path / "published" / "werkmonitor.duckdb").exists()
    # contract 8: in a range, the blocked quarter does not hold back the sound one
    build_landing_zone(tmp_path / "raw")
    both = run(tmp_path, "--all")
    assert both.returncode == 3, both.stderr[-3000:]
    assert "2024Q2 NOT published" in both.stderr
    with duckdb.connect(str(tmp_path / "published" / "werkmonitor.duckdb"), read_only=True) as con:
        rows = con.execute("select distinct quarter from publication").fetchall()
    published = {q for (q,) in rows}
    assert published == {"2024Q3"}
    assert mismatches(national_figures(tmp_path, "2024Q3")) == []


def test_a_corrected_quarter_rebuilds_the_next_quarters_comparison(q3_warehouse, tmp_path):
    """Q changed: Q and the quarter after it are rebuilt; Q+1 compares with the new Q."""
    import json

    source, _ = q3_warehouse
    base = tmp_path / "copy"
    shutil.copytree(source, base)
    if not (base / "raw" / "2024Q4").exists():
        from werkmonitor.generate import generate_landing_zone

        generate_landing_zone(tmp_path / "gen", scale=0.2, seed=7, first="2024Q4", last="2024Q4")
        shutil.copytree(tmp_path / "gen" / "2024Q4", base / "raw" / "2024Q4")
        assert run(base, "--quarter", "2024Q4").returncode == 0
    # a corrected version of one organisation's Q3 submission: half its trajectories
    first = sorted((base / "raw" / "2024Q3").iterdir())[0]
    corrected = first.with_name(first.name + "_v2")
    shutil.copytree(first, corrected)
    lines = (corrected / "trajecten.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (corrected / "trajecten.csv").write_text(
        "".join(lines[: 1 + (len(lines) - 1) // 2]), encoding="utf-8"
    )
    again = run(base, "--quarter", "2024Q3", "--timings", str(base / "t.json"))
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


def test_a_failing_chart_fails_one_report_not_the_run(q3_warehouse, tmp_path, monkeypatch, capsys):
    """Issue 11: one region's chart raises; the file and every other report still appear."""
    from werkmonitor.publish.reports import plots
    from werkmonitor.runner import run_cli

    source, _ = q3_warehouse
    base = tmp_path / "copy"
    shutil.copytree(source, base)
    for name, value in _env(base).items():
        if name.startswith(("WERKMONITOR_", "DAGSTER_HOME")):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("WERKMONITOR_ORGANISATIONS_DIR", str(base / "organisations"))
    # This region's charts cannot be drawn — also in the reports' worker process,
    # which sees the environment but not a monkeypatch.
    monkeypatch.setenv(plots.FAIL_ENV, "regio/AM01")
    shutil.rmtree(base / "published" / "reports" / "2024Q3")  # every report drawn afresh
    before = (base / "published" / "werkmonitor.duckdb").stat().st_mtime
    code = run_cli(["2024Q3"], run_all=False, quiet=True, force=True)
    err = capsys.readouterr().err
    assert code == 2, err[-3000:]
    assert "report FAILED: 2024Q3 regio/AM01" in err
    assert (base / "published" / "werkmonitor.duckdb").stat().st_mtime > before
    out = base / "published" / "reports" / "2024Q3"
    assert not (out / "regio" / "AM01.html").exists()
    assert len(list((out / "regio").glob("AM*.html"))) == 34
    assert (out / "landelijk_2024Q3.html").exists()
