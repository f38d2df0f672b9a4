"""A second process drawing its share of a quarter's reports (both sides of it).

Started by ``render.run`` as ``python -m werkmonitor.publish.reports.worker``
with a JSON request on stdin (the ``plan`` arguments and the report names to
draw); it plans the quarter again from the files and writes its outcomes as
one JSON line per finished report to stdout, so the parent can follow its
progress. A plain subprocess rather than a multiprocessing pool: it never
re-imports the caller's main module and needs no fork of a process whose chart
renderer runs threads.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    from werkmonitor.publish.reports import render
    from werkmonitor.publish.reports.plan import plan

    request = json.load(sys.stdin)
    args = [
        None if a is None else (Path(a) if i != 1 else a) for i, a in enumerate(request["plan"])
    ]
    planned = plan(*args)
    render.load(planned.jobs, planned.context)
    for name in request["names"]:
        n, written, failed = render.draw(name)
        sys.stdout.write(json.dumps([n, [str(p) for p in written], failed]) + "\n")
        sys.stdout.flush()
    return 0


def start_worker(plan_args: tuple, names: list[str]):
    """A worker process for ``names``; its output goes to a file, so it never blocks on a pipe."""
    request = {"plan": [None if a is None else str(a) for a in plan_args], "names": names}
    out = tempfile.NamedTemporaryFile("w+", encoding="utf-8", suffix=".jsonl")  # noqa: SIM115
    err = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 — closed in _Worker
    proc = subprocess.Popen(
        [sys.executable, "-m", "werkmonitor.publish.reports.worker"],
        stdin=subprocess.PIPE,
        stdout=out,
        stderr=err,
        text=True,
    )
    proc.stdin.write(json.dumps(request))
    proc.stdin.close()
    return _Worker(proc, out, err, names)


FORK_ENV = "WERKMONITOR_REPORTS_FORK"  # "off": never fork a drawing process


def can_fork() -> bool:
    return hasattr(os, "fork") and os.environ.get(FORK_ENV) != "off"


class _Forked:
    """The ``wait()`` of a forked child, as ``subprocess.Popen`` has it."""

    def __init__(self, pid: int):
        self.pid = pid

    def wait(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def fork_worker(names: list[str]):
    """A forked copy of this process that draws ``names`` (jobs already loaded).

    No interpreter start, no imports, no second planning: the copy has the
    plan, the chart shapes and the template in memory (~0,1 CPU s instead of a
    spawned worker's ~3 s), so even a quarter's ~80 reports pay for it. The
    copy only builds pages and writes files — it never touches DuckDB, the
    PDF printer or a logging handler (logging is off in it: the parent logs
    its failures) — and leaves by ``os._exit``, so no exit handler of the
    parent (the printer's browser) runs twice.
    """
    out = tempfile.NamedTemporaryFile("w+", encoding="utf-8", suffix=".jsonl")  # noqa: SIM115
    err = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 — closed in _Worker
    # The objects that exist now are neither scanned by the collector nor so
    # copied page by page into the child (each scan writes to every object).
    gc.freeze()
    pid = os.fork()
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # pragma: no cover - runs in the child; its outcomes are asserted
        code = 1
        try:
            logging.disable(logging.CRITICAL)
            from werkmonitor.publish.reports import render

            with open(out.name, "a", encoding="utf-8") as sink:
                for name in names:
                    n, written, failed = render.draw(name)
                    sink.write(json.dumps([n, [str(p) for p in written], failed]) + "\n")
                    sink.flush()
            code = 0
        except BaseException as exc:  # noqa: BLE001 — reported by the parent (``finish``)
            try:
                err.write(f"{type(exc).__name__}: {exc}")
                err.flush()
            except Exception:  # noqa: BLE001, S110
                pass
        finally:
            os._exit(code)
    return _Worker(_Forked(pid), out, err, names)


class _Worker:
    """The worker's outcomes, read line by line while it still runs.

    Read through a second handle on the output file, so reading never moves
    the offset the worker writes at.
    """

    def __init__(self, proc, out, err, names: list[str]):
        self.proc, self.out, self.err, self.names = proc, out, err, names
        self.reader = open(out.name, encoding="utf-8")  # noqa: SIM115 — closed in finish
        self.pending = ""
        self.seen: set[str] = set()

    def poll(self) -> list[tuple]:
        """Outcomes finished since the last call (complete lines only)."""
        self.pending += self.reader.read()
        *lines, self.pending = self.pending.split("\n")
        outcomes = []
        for line in filter(None, lines):
            try:
                n, w, f = json.loads(line)
            except ValueError:  # not an outcome (a library printed something)
                continue
            self.seen.add(n)
            outcomes.append((n, [Path(p) for p in w], f))
        return outcomes

    def finish(self) -> list[tuple]:
        """The remaining outcomes; a report the worker never finished fails with the reason."""
        code = self.proc.wait()
        try:
            outcomes = self.poll()
            lost = [n for n in self.names if n not in self.seen]
            if lost:
                self.err.seek(0)
                reason = f"worker process failed: exit {code}: {self.err.read()[-300:].strip()}"
                outcomes += [(n, [], {n: reason}) for n in lost]
            return outcomes
        finally:
            self.reader.close()
            self.out.close()
            self.err.close()


if __name__ == "__main__":
    sys.exit(main())
