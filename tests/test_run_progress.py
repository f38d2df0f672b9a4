"""Run progress and run outcomes, without running the pipeline.

The ``progress`` Dagster logger turns step events and ``[stage] message``
lines into the display; the exit code follows contract 8 from what each
range published, blocked or failed.
"""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

import pytest

from werkmonitor.outcome import RangeOutcome, exit_code, unchanged_exit_code
from werkmonitor.progress import PlainDisplay, _Handler, log_progress, showing


def _record(message="", step=None, event=None):
    record = logging.LogRecord("dagster", logging.INFO, __file__, 1, message, None, None)
    record.dagster_meta = {"step_key": step, "dagster_event": event, "orig_message": message}
    return record


def _event(kind):
    return SimpleNamespace(event_type_value=kind)


def test_step_events_and_progress_lines_reach_the_display():
    out = io.StringIO()
    handler = _Handler()
    with showing(PlainDisplay(out)):
        handler.emit(_record(step="warehouse_dbt", event=_event("STEP_START")))
        handler.emit(_record("[dbt] quarterly_indicators (1.4 s) [41]", step="warehouse_dbt"))
        handler.emit(_record("not a progress line", step="warehouse_dbt"))
        handler.emit(_record(step="warehouse_dbt", event=_event("STEP_SUCCESS")))
        handler.emit(_record(step="quarterly_reports", event=_event("STEP_FAILURE")))
    handler.emit(_record("[dbt] after the run", step="warehouse_dbt"))  # no display: dropped
    lines = [line.split(" s  ", 1)[1] for line in out.getvalue().splitlines()]
    assert lines == [
        "dbt      started",
        "dbt      quarterly_indicators (1.4 s) [41]",
        lines[2],
        "reports  FAILED in 0.0 s",
    ]
    assert lines[2].startswith("dbt      done in ")


def test_log_progress_writes_the_event_log_line():
    seen = []
    context = SimpleNamespace(log=SimpleNamespace(info=seen.append))
    log_progress(context, "load", "2024Q3: 43 accepted")
    assert seen == ["[load] 2024Q3: 43 accepted"]


def test_exit_codes_follow_contract_8():
    ok = RangeOutcome(["2024Q3"], published=["2024Q3"])
    reports = RangeOutcome(["2024Q4"], published=["2024Q4"], failed_reports=["2024Q4 regio/AM01"])
    blocked = RangeOutcome(["2024Q2"], blocked={"2024Q2": "coverage"})
    assert exit_code([ok]) == 0
    assert exit_code([ok, reports]) == 2
    assert exit_code([ok, blocked]) == 3
    assert exit_code([reports, blocked]) == 3
    assert exit_code([blocked]) == 1
    assert unchanged_exit_code({"2024Q3": "published"}, ["2024Q3"]) == 0
    assert unchanged_exit_code({"2024Q2": "blocked", "2024Q3": "published"},
                               ["2024Q2", "2024Q3"]) == 3
    assert unchanged_exit_code({"2024Q2": "blocked"}, ["2024Q2"]) == 1


# --- what a run prints while it runs (issue 15 §1) ---------------------------------------

QUARTERS_11 = [
    "2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1",
    "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2",
]


def test_the_materialising_line_names_each_reason_once():
    from werkmonitor.plan import NEW_FILES, describe

    first_run = describe(dict.fromkeys(QUARTERS_11, NEW_FILES), QUARTERS_11)
    assert first_run == "new or changed files in 2022Q4..2025Q2 (11 quarters)"
    late = {"2024Q4": NEW_FILES, "2025Q1": "depends on 2024Q4", "2025Q2": "depends on 2024Q4"}
    assert describe(late, list(late)) == (
        "new or changed files in 2024Q4; 2025Q1..2025Q2 follow from 2024Q4"
    )
    mixed = {"2024Q2": "not built yet", "2024Q3": "not built yet", "2025Q1": "depends on 2024Q4"}
    assert describe(mixed, list(mixed)) == (
        "2024Q2..2024Q3: not built yet; 2025Q1 follows from 2024Q4"
    )


def test_the_plan_says_which_quarter_a_dependent_one_follows_from(tmp_path):
    """Reasons per quarter as the describe() above reads them, from a real plan."""
    from werkmonitor.changes import WarehouseState
    from werkmonitor.plan import stale_reason

    state = WarehouseState(builds={q: ("d", "r", "published") for q in QUARTERS_11})
    pending = {"2024Q4": ["2024Q4/ORG01_2024Q4_v2.xlsx"]}
    assert stale_reason("2024Q4", state, pending, "r") == "new or changed files"
    assert stale_reason("2025Q2", state, pending, "r") == "depends on 2024Q4"


def test_a_ticker_shows_every_line_and_logs_at_most_one_per_interval():
    from werkmonitor.progress import Ticker

    out, logged = io.StringIO(), []
    context = SimpleNamespace(log=SimpleNamespace(info=logged.append))
    with showing(PlainDisplay(out)):
        ticker = Ticker(context, "reports", every=3600)
        for name in ("national", "regio/AM01", "organisatie/ORG01"):
            ticker(name)
        eager = Ticker(context, "reports", every=0)
        eager("regio/AM02")
    shown = [line.split(" s  ", 1)[1] for line in out.getvalue().splitlines()]
    assert shown == [
        "reports  national", "reports  regio/AM01", "reports  organisatie/ORG01",
        "reports  regio/AM02",
    ]
    assert logged == ["[reports] regio/AM02"]  # the event-log copy, not shown a second time


def test_reports_progress_reaches_render_reports_when_it_takes_it(monkeypatch):
    import werkmonitor.publish as publish_package
    from werkmonitor.assets.reporting import render_quarter
    from werkmonitor.config import settings

    calls = []

    def render_reports(publish_dir, quarter, warehouse=None, organisations_dir=None,
                       progress=None):
        for done, name in enumerate(("landelijk", "regio/AM01"), start=1):
            progress(name, done, 2)
        return SimpleNamespace(written=["a", "b"], failed={}, skipped=[])

    monkeypatch.setattr(publish_package, "render_reports", render_reports)
    outcome = render_quarter(settings(), "2024Q3", lambda *args: calls.append(args))
    assert calls == [("landelijk", 1, 2), ("regio/AM01", 2, 2)]
    assert outcome.written == ["a", "b"]


@pytest.fixture(scope="module")
def one_quarter_zone(tmp_path_factory):
    from werkmonitor.generate import generate_landing_zone

    raw = tmp_path_factory.mktemp("progress") / "raw"
    generate_landing_zone(raw, scale=0.05, seed=5, first="2024Q3", last="2024Q3")
    return raw


def test_the_loader_reports_each_submission_as_it_is_stored(one_quarter_zone, tmp_path):
    from werkmonitor.loader import load_quarter

    files = sorted(p.name for p in (one_quarter_zone / "2024Q3").iterdir())
    calls = []
    summary = load_quarter(
        "2024Q3", one_quarter_zone, tmp_path / "w.duckdb",
        progress=lambda message, done, total: calls.append((message, done, total)),
    )
    total = len(files)
    assert calls[0] == (f"2024Q3: checking {total} submissions "
                        f"{calls[0][0].split('submissions ', 1)[1]}", 0, total)
    assert calls[0][0].endswith("MB) in one pass")
    stored = calls[1:]
    assert [(done, n) for _, done, n in stored] == [(i, total) for i in range(1, total + 1)]
    assert [m for m, _, _ in stored] == summary.lines  # the loader's own line, each once
    assert [m.split(":", 1)[0] for m, _, _ in stored] == [f"2024Q3/{name}" for name in files]


def test_a_run_prints_stage_lines_and_one_line_per_submission(one_quarter_zone, tmp_path):
    """The plain display of a real Dagster run of the load step (no dbt)."""
    from dagster import DagsterInstance, Definitions, define_asset_job

    from werkmonitor.assets.ingest import raw_submissions
    from werkmonitor.progress import progress_logger
    from werkmonitor.resources import WarehouseResource

    warehouse = tmp_path / "warehouse" / "werkmonitor.duckdb"
    resource = WarehouseResource(
        raw_dir=str(one_quarter_zone), warehouse=str(warehouse),
        publish_dir=str(tmp_path / "published"), organisations_dir=str(tmp_path / "orgs"),
    )
    defs = Definitions(
        assets=[raw_submissions], jobs=[define_asset_job("load", selection=[raw_submissions])],
        resources={"warehouse": resource}, loggers={"progress": progress_logger},
    )
    instance = DagsterInstance.ephemeral()
    out = io.StringIO()
    with showing(PlainDisplay(out)):
        result = defs.resolve_job_def("load").execute_in_process(
            run_config={"loggers": {"progress": {}}}, instance=instance, partition_key="2024Q3",
        )
    assert result.success
    files = sorted(p.name for p in (one_quarter_zone / "2024Q3").iterdir())
    lines = [line.split(" s  ", 1)[1] for line in out.getvalue().splitlines()]
    assert lines[0] == "load     started"
    assert lines[1].startswith(f"load     2024Q3: checking {len(files)} submissions")
    per_file = lines[2:2 + len(files)]
    for done, (line, name) in enumerate(zip(per_file, files, strict=True), start=1):
        assert line.startswith(f"load     [{done}/{len(files)}] 2024Q3/{name}: accepted (")
    assert lines[2 + len(files)] == (
        f"load     2024Q3: {len(files)} accepted, 0 rejected, 0 duplicate, 0 superseded, "
        f"0 unchanged; {lines[2 + len(files)].split('unchanged; ', 1)[1]}"
    )
    assert lines[3 + len(files)].startswith("load     done in ")
    assert len(lines) == 4 + len(files)  # each submission once, not again after the quarter
    # the Dagster event log has the quarter's account with every submission line
    messages = [e.user_message for e in instance.all_logs(result.run_id) if e.user_message]
    account = [m for m in messages if m.startswith("[load] 2024Q3: ")]
    assert len(account) == 1
    assert [line.strip().split(":", 1)[0] for line in account[0].splitlines()[1:]] == [
        f"2024Q3/{name}" for name in files
    ]
