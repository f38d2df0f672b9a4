"""A range run's reports on two processes: the same outcomes as in one, failures kept.

``assets/reports_split.py`` hands every third quarter (from three quarters on)
and the dashboard to a worker process. What the worker reports for a quarter
must be what this process would have reported for it, and a worker that dies
must fail its quarters' reports (retried by the next run), never pass them.
"""

from __future__ import annotations

from pathlib import Path

from werkmonitor.assets import reports_split
from werkmonitor.assets.reporting import render_quarter
from werkmonitor.config import Settings

QUARTERS = ["2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3",
            "2024Q4", "2025Q1", "2025Q2"]


def _paths(tmp_path: Path) -> Settings:
    return Settings(raw_dir=tmp_path / "raw", warehouse=tmp_path / "werkmonitor.duckdb",
                    publish_dir=tmp_path / "published",
                    organisations_dir=tmp_path / "organisations")


def test_one_or_two_quarters_stay_in_this_process():
    assert reports_split.split(["2024Q3"]) == (["2024Q3"], [])
    assert reports_split.split(["2024Q2", "2024Q3"]) == (["2024Q2", "2024Q3"], [])


def test_eleven_quarters_the_worker_takes_every_third(monkeypatch):
    monkeypatch.setattr(reports_split.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(reports_split.os, "getloadavg", lambda: (1.3, 0.9, 0.5))
    ours, theirs = reports_split.split(QUARTERS)
    assert theirs == ["2023Q2", "2024Q1", "2024Q4"]
    assert ours == ["2022Q4", "2023Q1", "2023Q3", "2023Q4", "2024Q2", "2024Q3", "2025Q1",
                    "2025Q2"]


def test_one_core_no_worker(monkeypatch):
    monkeypatch.setattr(reports_split.os, "cpu_count", lambda: 1)
    monkeypatch.setattr(reports_split.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert reports_split.split(QUARTERS) == (QUARTERS, [])


def test_no_worker_when_no_core_is_free(monkeypatch):
    """Load 2 on 2 cores: a worker would only queue behind the other work and add its CPU."""
    monkeypatch.setattr(reports_split.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(reports_split.os, "getloadavg", lambda: (2.0, 1.0, 1.0))
    assert reports_split.split(QUARTERS) == (QUARTERS, [])


def test_worker_reports_what_this_process_would(tmp_path):
    """No published file: each quarter fails as a whole, with the same reason either way,
    and there is no dashboard."""
    paths = _paths(tmp_path)
    here = {q: render_quarter(paths, q) for q in ("2023Q2", "2024Q1")}
    assert all(set(o.failed) == {"all reports"} and not o.written for o in here.values())
    theirs, dashboard = reports_split.Worker(paths, ["2023Q2", "2024Q1"]).finish()
    assert dashboard is None
    assert {q: (o.written, o.failed, o.skipped) for q, o in theirs.items()} == {
        q: (o.written, o.failed, o.skipped) for q, o in here.items()
    }


def test_a_worker_that_dies_fails_its_quarters(tmp_path, monkeypatch):
    monkeypatch.setattr(reports_split, "_request", lambda paths, quarters: "not json")
    theirs, dashboard = reports_split.Worker(_paths(tmp_path), ["2023Q2", "2024Q4"]).finish()
    assert dashboard is None
    assert sorted(theirs) == ["2023Q2", "2024Q4"]
    for outcome in theirs.values():
        assert outcome.written == [] and outcome.skipped == []
        (reason,) = outcome.failed.values()
        assert list(outcome.failed) == ["all reports"]
        assert reason.startswith("report worker exited with 1: ")
        assert "JSONDecodeError" in reason


def test_the_worker_starts_without_dagster():
    """Its interpreter and imports are the worker's whole price: Dagster is not among them."""
    import subprocess
    import sys

    code = ("import sys, werkmonitor.assets.reports_split; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'dagster'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
