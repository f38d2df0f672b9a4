"""The whole pipeline through its front door, ``werkmonitor run``.

A landing zone built to the published Q3 2024 national figures goes through
load → dbt → quality gates → publish in a fresh process, as a user runs it;
the mart must reproduce the publication, re-runs must give identical rows,
and a failing chart fails one report, not the run. These runs are the
slowest tests in the suite (one dbt build each), so one run, made once per
test run for every worker (``e2e_fixtures.q3_warehouse``), serves every
assertion that can share it; a test that runs again works on a copy. The
tests over several quarters are in test_pipeline_e2e_quarters.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import duckdb
import e2e_fixtures
import pytest
from e2e_fixtures import WERKMONITOR, env_for, mart_rows, national_figures, private_copy, run
from published_q3_2024 import mismatches

pytestmark = pytest.mark.slow

q3_warehouse = e2e_fixtures.q3_warehouse


def test_run_reproduces_the_published_q3_2024_figures(q3_warehouse):
    base, stdout = q3_warehouse
    assert mismatches(national_figures(base, "2024Q3")) == []
    # the summary the user sees carries the same headline figures, Dutch style
    assert "4.763" in stdout
    assert "1.786 (37,5%)" in stdout
    assert "43 geaccepteerd, 0 afgekeurd" in stdout  # seeds/submission_statuses.csv
    # progress: every stage starts and ends, with the dbt models and test count
    for stage in ("load", "dbt", "quality", "publish", "reports"):
        assert re.search(rf"s  {stage} +started", stdout), stage
        assert re.search(rf"s  {stage} +done in", stdout), stage
    assert re.search(r"dbt +quarterly_indicators \(", stdout)
    assert re.search(r"dbt +\d+ models and seeds built, \d+ tests run", stdout)


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


def test_rerun_of_the_same_quarter_is_identical(q3_warehouse, tmp_path):
    base = private_copy(q3_warehouse[0], tmp_path)
    before = mart_rows(base, "2024Q3")
    again = run(base, "--quarter", "2024Q3")
    assert again.returncode == 0, again.stderr[-3000:]
    assert mart_rows(base, "2024Q3") == before
    # nothing new was loaded: every file was seen before
    with duckdb.connect(str(base / "warehouse" / "werkmonitor.duckdb"), read_only=True) as con:
        (submissions,) = con.execute("select count(*) from audit.submissions").fetchone()
    assert submissions == 43


def test_status_shows_the_quarter_published_and_a_new_file_pending(q3_warehouse, tmp_path):
    base = private_copy(q3_warehouse[0], tmp_path / "base")
    status = subprocess.run(
        [WERKMONITOR, "status"], env=env_for(base), capture_output=True, text=True, timeout=300
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
    env = {**env_for(base), "WERKMONITOR_RAW_DIR": str(tmp_path / "raw")}
    pending = subprocess.run(
        [WERKMONITOR, "status"], env=env, capture_output=True, text=True, timeout=300
    )
    assert "1 pending" in pending.stdout and f"pending: 2024Q3/{late.name}" in pending.stdout


def test_a_failing_chart_fails_one_report_not_the_run(q3_warehouse, tmp_path, monkeypatch, capsys):
    """Issue 11: one region's chart raises; the file and every other report still appear."""
    from werkmonitor.publish.reports import plots
    from werkmonitor.runner import run_cli

    base = private_copy(q3_warehouse[0], tmp_path)
    for name, value in env_for(base).items():
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
