"""Render a quarter's reports: public ones from the public file, organisation ones beside.

Each report is drawn on its own: a report that fails is recorded in
``ReportsResult.failed`` with the reason (its stale file removed, so no
reader sees figures of an older render) and every other report is still
written. Reports whose inputs did not change are skipped; the rest are drawn
by this process and, when there are enough of them to pay for a second
interpreter, one worker process (``worker.py``) that plans the quarter again
from the files (spawned, not forked: a fork of a process that has started
DuckDB's or a renderer's threads is not safe). The worker writes one line per
finished report, so ``progress`` hears of its reports as they are done.

A report's charts are drawn by the reader's browser from their specs with
the offline bundle (``charts.write_bundle``): one file beside the public
reports (``reports/assets/vega.js``) and one in each organisation's folder
(``<ORG>/assets/vega.js``), so each tier's folder works on its own.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from werkmonitor import charts
from werkmonitor.publish.reports import pdf
from werkmonitor.publish.reports.document import CURRENT
from werkmonitor.publish.reports.jobs import Job

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (report name, done, total)

MIN_JOBS_PER_WORKER = 12
_JOBS: dict[str, Job] = {}
_CONTEXT: dict = {}


@dataclass
class ReportsResult:
    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def __iter__(self):
        """The written files, for callers that took the result as a list of paths."""
        return iter(self.written)


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("werkmonitor.publish", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2")


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _discard(job: Job) -> None:
    for old in (job.path, job.digest_path, job.path.with_suffix(".pdf")):
        old.unlink(missing_ok=True)


def draw(name: str) -> tuple[str, list[Path], dict[str, str]]:
    """Draw one job; never raises (the reason goes into the returned failures)."""
    job = _JOBS[name]
    CURRENT["job"] = name
    try:
        rep = job.build()
        stamp = dict(_CONTEXT["stamp"])
        if job.stamp_files is not None:
            stamp["files"] = job.stamp_files
        bundle = Path(os.path.relpath(job.bundle, job.path.parent)).as_posix()
        html = _template().render(report=rep, stamp=stamp, bundle_src=bundle, **_CONTEXT["page"])
        write_text(job.path, html)
    except Exception as exc:  # noqa: BLE001 — one report's failure stays with that report
        log.warning("report %s failed: %s: %s", name, type(exc).__name__, exc)
        _discard(job)
        return name, [], {name: f"{type(exc).__name__}: {exc}"}
    finally:
        CURRENT["job"] = None
    written, failed = [job.path], {}
    if job.pdf and pdf.CHROMIUM.exists():
        reason = pdf.print_pdf(job.path, job.path.with_suffix(".pdf"))
        if reason:
            failed[f"{name}.pdf"] = reason
        else:
            written.append(job.path.with_suffix(".pdf"))
    if not failed:
        write_text(job.digest_path, job.digest)
    return name, written, failed


def _unchanged(job: Job) -> bool:
    if not job.path.exists() or not job.digest_path.exists():
        return False
    if job.pdf and pdf.CHROMIUM.exists() and not job.path.with_suffix(".pdf").exists():
        return False
    return job.digest_path.read_text(encoding="utf-8") == job.digest


def load(jobs: list[Job], context: dict) -> None:
    """Make ``jobs`` drawable by name in this process."""
    _JOBS.clear()
    _JOBS.update({j.name: j for j in jobs})
    _CONTEXT.clear()
    _CONTEXT.update(context)


def _start_worker(plan_args: tuple, names: list[str]):
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


def run(
    jobs: list[Job],
    context: dict,
    workers: int | None = None,
    plan_args: tuple | None = None,
    progress: Progress | None = None,
) -> ReportsResult:
    """Draw the jobs whose inputs changed; ``plan_args`` let a worker plan them again.

    ``progress(name, done, total)`` is called after each report is skipped,
    written or failed, in this process (also for the worker's reports).
    """
    result, outcomes, total = ReportsResult(), [], len(jobs)
    _write_bundles(jobs)

    def tell(name: str) -> None:
        if progress is not None:
            progress(name, len(result.skipped) + len(outcomes), total)

    todo = []
    for job in jobs:
        if _unchanged(job):
            result.skipped.append(job.name)
            tell(job.name)
        else:
            todo.append(job)
    load(todo, context)
    if workers is None:
        workers = min(2, os.cpu_count() or 1, max(1, len(todo) // MIN_JOBS_PER_WORKER))
    names = [j.name for j in todo]
    worker = None
    if min(workers, len(names)) > 1 and plan_args is not None:
        # Dealt out in turn; the national report (first) is drawn here.
        names, theirs = names[0::2], names[1::2]
        worker = _start_worker(plan_args, theirs)
    for name in names:
        outcomes.append(draw(name))
        tell(name)
        for outcome in worker.poll() if worker else ():
            outcomes.append(outcome)
            tell(outcome[0])
    for outcome in worker.finish() if worker else ():
        outcomes.append(outcome)
        tell(outcome[0])
    for _name, written, failed in sorted(outcomes, key=lambda o: o[0]):
        result.written.extend(written)
        result.failed.update(failed)
    result.skipped.sort()
    return result


def _write_bundles(jobs: list[Job]) -> None:
    """The chart bundle beside every report drawn, or skipped (a folder may have lost it)."""
    folders = list(dict.fromkeys(j.bundle for j in jobs))
    for folder in folders:
        charts.write_bundle(folder, folders[0])


def remove_stale(directory: Path, keep: set[str]) -> None:
    """Remove reports in ``directory`` (``*.html``) whose stem is not in ``keep``."""
    if directory.exists():
        for old in directory.glob("*.html"):
            if old.stem not in keep:
                old.unlink()
                old.with_name(f".{old.name}.inputs").unlink(missing_ok=True)


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
