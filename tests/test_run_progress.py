"""Run progress and run outcomes, without running the pipeline.

The ``progress`` Dagster logger turns step events and ``[stage] message``
lines into the display; the exit code follows contract 8 from what each
range published, blocked or failed.
"""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

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
