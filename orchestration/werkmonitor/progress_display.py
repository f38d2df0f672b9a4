"""The two displays of ``werkmonitor run``: plain timestamped lines and a live ``rich`` table.

``progress.py`` decides what is shown; this module only how. Plain lines are
what CI logs and redirected output get; a terminal gets the live table.
"""

from __future__ import annotations

import os
import sys
import time


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


def make_display(quiet: bool):
    if quiet:
        return None
    interactive = sys.stdout.isatty() and not os.environ.get("CI")
    if interactive and os.environ.get("TERM", "") != "dumb":
        return RichDisplay()
    return PlainDisplay()
