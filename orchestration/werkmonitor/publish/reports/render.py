"""Render a quarter's reports: public ones from the public file, organisation ones beside.

Each report is drawn on its own: a report that fails is recorded in
``ReportsResult.failed`` with the reason (its stale file removed, so no
reader sees figures of an older render) and every other report is still
written. Reports whose inputs did not change are skipped; the rest are drawn
by this process and, on a machine with a second core and from a few dozen
reports on, by a forked copy of it (``worker.fork_worker``: it has the plan in
memory and does nothing but build pages and write files — no DuckDB, no
printer, no logging — so the threads DuckDB or the printer started here do
not matter to it). ``workers=2`` forces a spawned worker instead, which plans
the quarter again from the files (``worker.py``). Either writes one line per
finished report, so ``progress`` hears of its reports as they are done.

A report's charts are drawn by the reader's browser from their specs with
the offline bundle (``charts.write_bundle``): one file beside the public
reports (``reports/assets/vega.js``) and one in each organisation's folder
(``<ORG>/assets/vega.js``), so each tier's folder works on its own.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from werkmonitor import charts
from werkmonitor.publish.reports import pdf
from werkmonitor.publish.reports.document import CURRENT, rows_html
from werkmonitor.publish.reports.jobs import Job
from werkmonitor.publish.reports.worker import can_fork, fork_worker, start_worker

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (report name, done, total)

# A worker costs ~3 CPU s (interpreter, imports, planning the quarter again,
# building its chart shapes) and a report ~25 ms since the charts are drawn by
# the reader's browser: at ~80 reports a quarter it does not pay.
MIN_JOBS_PER_WORKER = 150
# A forked copy costs ~0,1 CPU s (no start, no imports, no planning): it pays
# from a few dozen reports, so on 2 cores a quarter's reports are drawn by two.
MIN_JOBS_TO_FORK = 24
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
    env.globals["rows_html"] = rows_html
    return env.get_template("report.html.j2")


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _discard(job: Job) -> None:
    for old in (job.path, job.digest_path, job.path.with_suffix(".pdf")):
        old.unlink(missing_ok=True)


def draw(name: str, printing: dict | None = None) -> tuple[str, list[Path], dict[str, str]]:
    """Draw one job; never raises (the reason goes into the returned failures).

    With ``printing`` (a dict), a PDF is started in the background and left in
    it under the job's name for :func:`finish_printing`; else it is waited for.
    """
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
    if job.pdf and pdf.CHROMIUM.exists():
        started = pdf.Printing(job.path, job.path.with_suffix(".pdf"))
        if printing is not None:
            printing[name] = started
            return name, [job.path], {}
        return _printed((name, [job.path], {}), started)
    write_text(job.digest_path, job.digest)
    return name, [job.path], {}


def _printed(outcome: tuple, printing: pdf.Printing) -> tuple:
    """``outcome`` with its PDF once printed; the digest only when everything was written."""
    name, written, failed = outcome
    reason = printing.finish()
    if reason:
        failed = {**failed, f"{name}.pdf": reason}
    else:
        written = [*written, printing.pdf]
        write_text(_JOBS[name].digest_path, _JOBS[name].digest)
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

    done = 0

    def tell(name: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(name, done, total)

    todo = []
    for job in jobs:
        if _unchanged(job):
            result.skipped.append(job.name)
            tell(job.name)
        else:
            todo.append(job)
    load(todo, context)
    # A forked copy is the cheaper second process whenever the platform forks
    # (no start, imports or planning); a spawned one only when asked for
    # (``workers=2``) or where there is no fork.
    fork = workers is None and _fork_pays(todo)
    if workers is None:
        workers = 1 if can_fork() else min(2, os.cpu_count() or 1, len(todo) // MIN_JOBS_PER_WORKER)
    names = [j.name for j in todo]
    worker = None
    if min(workers, len(names)) > 1 and plan_args is not None:
        # Dealt out in turn; the national report (first) is drawn here.
        names, theirs = names[0::2], names[1::2]
        worker = start_worker(plan_args, theirs)
    elif fork:
        # The PDF's job stays here (the printer is this process's); the rest in turn.
        mine = [j.name for j in todo if j.pdf]
        rest = [j.name for j in todo if not j.pdf]
        names, theirs = mine + rest[1::2], rest[0::2]
        worker = fork_worker(theirs)
    printing: dict[str, pdf.Printing] = {}
    for name in names:
        outcomes.append(draw(name, printing))
        if name not in printing:
            tell(name)
        for outcome in worker.poll() if worker else ():
            outcomes.append(_logged(outcome))
            tell(outcome[0])
    for outcome in worker.finish() if worker else ():
        outcomes.append(_logged(outcome))
        tell(outcome[0])
    for i, outcome in enumerate(outcomes):
        if outcome[0] in printing:
            outcomes[i] = _printed(outcome, printing[outcome[0]])
            tell(outcome[0])
    for _name, written, failed in sorted(outcomes, key=lambda o: o[0]):
        result.written.extend(written)
        result.failed.update(failed)
    result.skipped.sort()
    return result


def _fork_pays(todo: list[Job]) -> bool:
    return len(todo) >= MIN_JOBS_TO_FORK and can_fork() and _idle_core()


def _idle_core() -> bool:
    """Whether a core is free now (load average below the cores less one).

    Only then does a second drawing process shorten the wall time; on a busy
    machine it just costs CPU (its copy-on-write pages: ~+40% for its share,
    measured on the shared 2-core machine at load 10–12).
    """
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return False
    return cores > 1 and load <= cores - 1


def _logged(outcome: tuple) -> tuple:
    """A worker's outcome, its failures logged here (the worker logs nothing)."""
    for name, why in outcome[2].items():
        log.warning("report %s failed: %s", name, why)
    return outcome


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
