"""Render a quarter's reports: public ones from the public file, organisation ones beside.

Each report is drawn on its own: a report that fails is recorded in
``ReportsResult.failed`` with the reason (its stale file removed, so no
reader sees figures of an older render) and every other report is still
written. Reports whose inputs did not change are skipped; the rest are drawn
by this process and, when there are enough of them to pay for a second
interpreter, one worker process (``worker.py``) that plans the quarter again
from the files (not forked: the chart renderer runs threads, which do not
survive a fork).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from werkmonitor.publish.reports import pdf
from werkmonitor.publish.reports.document import CURRENT
from werkmonitor.publish.reports.jobs import Job

log = logging.getLogger(__name__)

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
        html = _template().render(report=rep, stamp=stamp, **_CONTEXT["page"])
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
    """A worker process for ``names``; its output goes to files, so it never blocks on a pipe."""
    request = {"plan": [None if a is None else str(a) for a in plan_args], "names": names}
    out = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 — closed in _finish_worker
    err = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "werkmonitor.publish.reports.worker"],
        stdin=subprocess.PIPE,
        stdout=out,
        stderr=err,
        text=True,
    )
    proc.stdin.write(json.dumps(request))
    proc.stdin.close()
    return proc, out, err


def _finish_worker(worker, names: list[str]) -> list[tuple]:
    proc, out, err = worker
    code = proc.wait()
    out.seek(0)
    err.seek(0)
    try:
        if code != 0:
            raise ValueError(f"exit {code}: {err.read()[-300:].strip()}")
        return [(n, [Path(p) for p in w], f) for n, w, f in json.load(out)]
    except ValueError as exc:  # a dead worker fails its own reports only
        return [(n, [], {n: f"worker process failed: {exc}"}) for n in names]
    finally:
        out.close()
        err.close()


def run(
    jobs: list[Job], context: dict, workers: int | None = None, plan_args: tuple | None = None
) -> ReportsResult:
    """Draw the jobs whose inputs changed; ``plan_args`` let a worker plan them again."""
    result = ReportsResult()
    todo = []
    for job in jobs:
        if _unchanged(job):
            result.skipped.append(job.name)
        else:
            todo.append(job)
    load(todo, context)
    if workers is None:
        workers = min(2, os.cpu_count() or 1, max(1, len(todo) // MIN_JOBS_PER_WORKER))
    names = [j.name for j in todo]
    if min(workers, len(names)) <= 1 or plan_args is None:
        outcomes = [draw(n) for n in names]
    else:
        # Dealt out in turn; the national report (first) is drawn here.
        mine, theirs = names[0::2], names[1::2]
        worker = _start_worker(plan_args, theirs)
        outcomes = [draw(n) for n in mine] + _finish_worker(worker, theirs)
    for _name, written, failed in sorted(outcomes, key=lambda o: o[0]):
        result.written.extend(written)
        result.failed.update(failed)
    result.skipped.sort()
    return result


def remove_stale(directory: Path, keep: set[str]) -> None:
    """Remove reports in ``directory`` (``*.html``) whose stem is not in ``keep``."""
    if directory.exists():
        for old in directory.glob("*.html"):
            if old.stem not in keep:
                old.unlink()
                old.with_name(f".{old.name}.inputs").unlink(missing_ok=True)


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
