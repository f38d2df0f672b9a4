"""Render a quarter's reports: public ones from the public file, organisation ones beside.

Each report is drawn on its own: a report that fails is recorded in
``ReportsResult.failed`` with the reason (its stale file removed, so no
reader sees figures of an older render) and every other report is still
written. Reports whose inputs did not change are skipped; the rest are drawn
in up to two forked processes when there are enough of them to pay for it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from werkmonitor.publish.reports import pdf
from werkmonitor.publish.reports.jobs import Job

log = logging.getLogger(__name__)

MIN_JOBS_PER_WORKER = 12
CURRENT: dict = {"job": None}  # the job being drawn (a test hook names it)
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


def _draw_chunk(names: list[str]) -> list[tuple]:
    return [draw(n) for n in names]


def run(jobs: list[Job], context: dict, workers: int | None = None) -> ReportsResult:
    result = ReportsResult()
    todo = []
    for job in jobs:
        if _unchanged(job):
            result.skipped.append(job.name)
        else:
            todo.append(job)
    _JOBS.clear()
    _JOBS.update({j.name: j for j in todo})
    _CONTEXT.clear()
    _CONTEXT.update(context)
    _template()  # compiled once, before any fork
    if workers is None:
        workers = min(2, os.cpu_count() or 1, max(1, len(todo) // MIN_JOBS_PER_WORKER))
    names = [j.name for j in todo]
    if workers <= 1:
        outcomes = [draw(n) for n in names]
    else:
        chunks = [names[i::workers] for i in range(workers)]
        ctx = multiprocessing.get_context("fork")
        outcomes = []
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = [(chunk, pool.submit(_draw_chunk, chunk)) for chunk in chunks]
            for chunk, future in futures:
                try:
                    outcomes.extend(future.result())
                except Exception as exc:  # noqa: BLE001 — a dead worker fails its chunk only
                    outcomes.extend((n, [], {n: f"worker failed: {exc}"}) for n in chunk)
    for _name, written, failed in outcomes:
        result.written.extend(written)
        result.failed.update(failed)
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
