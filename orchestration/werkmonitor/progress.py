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
import sys
import time
from contextlib import contextmanager

from dagster import logger

STEP_STAGES = {
    "raw_submissions": "load",
    "warehouse_dbt": "dbt",
    "quality_gates": "quality",
    "published_warehouse": "publish",
    "quarterly_reports": "reports",
}
_MESSAGE = re.compile(r"^\[(\w+)\] (.*)$", re.S)
_display = None
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


class PlainDisplay:
    """Timestamped lines: what CI logs and redirected output get."""

    def __init__(self, out=None):
        self.out = out or sys.stdout
        self.started = time.perf_counter()
        self.stage_started: dict[str, float] = {}

    def _line(self, stage: str, text: str) -> None:
        elapsed = time.perf_counter() - self.started
        self.out.write(f"  {elapsed:7.1f} s  {stage:<8} {text}\n")
        self.out.flush()

    def start(self, stage: str) -> None:
        self.stage_started[stage] = time.perf_counter()
        self._line(stage, "started")

    def finish(self, stage: str, ok: bool) -> None:
        took = time.perf_counter() - self.stage_started.get(stage, self.started)
        self._line(stage, f"{'done' if ok else 'FAILED'} in {took:.1f} s")

    def note(self, stage: str, message: str) -> None:
        for line in message.splitlines() or [""]:
            self._line(stage, line)

    def close(self) -> None:
        pass


class RichDisplay(PlainDisplay):
    """A live table on a terminal: one row per stage, its state, time and last message."""

    def __init__(self, out=None):
        from rich.console import Console
        from rich.live import Live

        super().__init__(out)
        self.rows: dict[str, list[str]] = {}
        self.took: dict[str, str] = {}
        self.console = Console(file=self.out)
        self.live = Live(self._table(), console=self.console, refresh_per_second=4)
        self.live.start()

    def _table(self):
        from rich.table import Table

        table = Table(box=None, show_header=False, padding=(0, 1))
        for stage, (state, detail) in self.rows.items():
            began = self.stage_started.get(stage, self.started)
            running = f"{time.perf_counter() - began:6.1f} s"
            took = running if state == "…" else self.took.get(stage, "")
            table.add_row(state, stage, took, detail[-100:])
        return table

    def start(self, stage: str) -> None:
        self.stage_started[stage] = time.perf_counter()
        self.rows[stage] = ["…", "started"]
        self.live.update(self._table())

    def finish(self, stage: str, ok: bool) -> None:
        took = time.perf_counter() - self.stage_started.get(stage, self.started)
        self.took[stage] = f"{took:6.1f} s"
        self.rows[stage] = ["✓" if ok else "✗", self.rows.get(stage, ["", ""])[1]]
        self.live.update(self._table())

    def note(self, stage: str, message: str) -> None:
        self.rows.setdefault(stage, ["…", ""])[1] = message.splitlines()[-1] if message else ""
        self.live.update(self._table())

    def close(self) -> None:
        self.live.stop()


class _Handler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if _display is None or _shown_already:
            return
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        stage = STEP_STAGES.get(meta.get("step_key") or "")
        if event is not None and stage:
            kind = event.event_type_value
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


def make_display(quiet: bool):
    if quiet:
        return None
    interactive = sys.stdout.isatty() and not os.environ.get("CI")
    if interactive and os.environ.get("TERM", "") != "dumb":
        return RichDisplay()
    return PlainDisplay()


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
