"""Progress you can follow: each stage of a run as it starts and ends.

Assets report what they do with :func:`log_progress`, which writes to the
Dagster event log (so the UI shows it) as ``[stage] message``. ``werkmonitor
run`` adds the Dagster logger :data:`progress_logger`, which turns step
starts/ends and those messages into a live ``rich`` table on a terminal or
plain timestamped lines in CI and logs; ``--quiet`` shows nothing but the
summary. The display writes to the stdout it was created with, so the dbt
log redirection of the runner does not swallow it.
"""

from __future__ import annotations

import logging
import os
import re
import time
from contextlib import contextmanager

from dagster import logger

from werkmonitor.progress_display import PlainDisplay, RichDisplay, make_display

__all__ = ["PlainDisplay", "RichDisplay", "Ticker", "log_progress", "make_display", "showing"]

STEP_STAGES = {
    "raw_submissions": "load",
    "warehouse_dbt": "dbt",
    "quality_gates": "quality",
    "published_warehouse": "publish",
    "quarterly_reports": "reports",
}
STEP_KINDS = ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE")
_MESSAGE = re.compile(r"^\[(\w+)\] (.*)$", re.S)
_display = None
_cpu_by_stage: dict[str, float] | None = None  # while counting (``counting_cpu``)
_cpu_started: dict[str, float] = {}
_shown_already = False  # the display has the line: the event-log copy is not repeated


def log_progress(context, stage: str, message: str, detail: str | None = None) -> None:
    """One progress line, in the Dagster event log and on ``werkmonitor run``'s display.

    ``detail`` (e.g. the submission lines the display already showed one by one)
    goes to the event log only, below ``message``.
    """
    if detail is None:
        context.log.info(f"[{stage}] {message}")
        return
    show_progress(stage, message)
    _log_only(context, f"[{stage}] {message}\n{detail}")


def _log_only(context, text: str) -> None:
    global _shown_already
    _shown_already = True
    try:
        context.log.info(text)
    finally:
        _shown_already = False


class Ticker:
    """Fine-grained progress (a submission stored, a report written): every line live on
    the display, and at most one line per ``every`` seconds in the event log, so a
    long step shows its progress in the Dagster UI without a SQLite write per item."""

    def __init__(self, context, stage: str, every: float = 10.0):
        self.context, self.stage, self.every = context, stage, every
        self.logged_at = time.monotonic()

    def __call__(self, message: str) -> None:
        show_progress(self.stage, message)
        now = time.monotonic()
        if self.context is not None and now - self.logged_at >= self.every:
            self.logged_at = now
            _log_only(self.context, f"[{self.stage}] {message}")


def show_progress(stage: str, message: str) -> None:
    """A line for the display only: fine-grained steps the event log already holds as
    events (a dbt model's materialization), where one more log event per line would
    cost a SQLite write each."""
    if _display is not None:
        _display.note(stage, message)


def process_cpu_seconds() -> float:
    """User + system CPU of this process and of the children it has waited for
    (the dbt process, the report workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@contextmanager
def counting_cpu():
    """Collect CPU seconds per stage (step start to step end) while a run executes."""
    global _cpu_by_stage
    _cpu_by_stage = {}
    _cpu_started.clear()
    try:
        yield _cpu_by_stage
    finally:
        _cpu_by_stage = None


def _count_cpu(stage: str, kind: str) -> None:
    if kind == "STEP_START":
        _cpu_started[stage] = process_cpu_seconds()
    elif stage in _cpu_started:
        spent = process_cpu_seconds() - _cpu_started.pop(stage)
        _cpu_by_stage[stage] = _cpu_by_stage.get(stage, 0.0) + spent


class _Handler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        stage = STEP_STAGES.get(meta.get("step_key") or "")
        kind = getattr(event, "event_type_value", None)
        if _cpu_by_stage is not None and stage and kind in STEP_KINDS:
            _count_cpu(stage, kind)
        if _display is None or _shown_already:
            return
        if event is not None and stage:
            if kind == "STEP_START":
                _display.start(stage)
            elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
                _display.finish(stage, kind == "STEP_SUCCESS")
            return
        message = str(meta.get("orig_message") or "")
        match = _MESSAGE.match(message)
        if event is None and match:
            _display.note(match.group(1), match.group(2))
        elif event is None and stage == "quality" and record.levelno >= logging.INFO:
            _display.note(stage, message.splitlines()[0] if message else "")


@logger(description="Forwards step starts/ends and progress lines to `werkmonitor run`.")
def progress_logger(_init_context):
    log = logging.getLogger("werkmonitor.progress")
    log.setLevel(logging.DEBUG)  # Dagster logs step starts and ends at DEBUG
    log.propagate = False
    if not any(isinstance(h, _Handler) for h in log.handlers):
        log.addHandler(_Handler())
    return log


@contextmanager
def showing(display):
    """Route run progress to ``display`` (None: nowhere) for the duration of a run."""
    global _display
    _display = display
    try:
        yield display
    finally:
        _display = None
        if display is not None:
            display.close()
