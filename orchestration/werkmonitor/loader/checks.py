"""``check_submission(s)``: read → frame → identifiers → type → rules, in one direction.

Rejection rules are about the file as a whole (name, register, structure,
identifiers, the one-row organisatie sheet); row rules quarantine a row with
every reason it breaks, so one pass of feedback shows the submitter all of it.
Reading and framing are per file; the identifier scan, typing and row rules
run set-based in DuckDB over every file of the batch at once (``scan``,
``batch``). When the batch fails, each file is checked on its own, so one odd
file costs only itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from werkmonitor import reference
from werkmonitor.catalogue import submission_format
from werkmonitor.loader import batch, naming, rules
from werkmonitor.loader.files import content_hash
from werkmonitor.loader.frame import data_table
from werkmonitor.loader.messages import IDENTIFIER_RULES
from werkmonitor.loader.organisatie import check_organisatie
from werkmonitor.loader.problem import Problem
from werkmonitor.loader.read import RawSubmission, read_csv_folder, read_xlsx
from werkmonitor.loader.result import CheckResult
from werkmonitor.loader.scan import bsn_problems
from werkmonitor.quarters import Quarter

log = logging.getLogger("werkmonitor.loader")

_DATABASE: list[duckdb.DuckDBPyConnection] = []


def _connection() -> duckdb.DuckDBPyConnection:
    """A fresh connection (own temp tables) to one in-memory DuckDB per process.

    Opening a database costs tens of milliseconds, a cursor microseconds. One
    thread: the inputs are small and the machine is shared.
    """
    if not _DATABASE:
        _DATABASE.append(duckdb.connect(config={"threads": 1}))
    return _DATABASE[0].cursor()


@dataclass
class _Item:
    result: CheckResult
    raw: RawSubmission
    period: Quarter | None
    name_quarter: str | None
    rejections: list[Problem]  # before the value checks (restored when a batch is retried)


def check_submission(
    path: Path,
    raw_dir: Path | None = None,
    *,
    organisations: Mapping[str, reference.Organisation] | None = None,
    regions: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    known_hash: str | None = None,
) -> CheckResult:
    """Parse and check one submission (xlsx file or CSV folder); writes nothing."""
    return check_submissions(
        [path],
        raw_dir,
        organisations=organisations,
        regions=regions,
        today=today,
        known_hashes=[known_hash],
    )[0]


def check_submissions(
    paths: list[Path],
    raw_dir: Path | None = None,
    *,
    organisations: Mapping[str, reference.Organisation] | None = None,
    regions: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    known_hashes: list[str | None] | None = None,
) -> list[CheckResult]:
    """Check many submissions in one set-based pass; results in the order of ``paths``."""
    hashes = known_hashes or [None] * len(paths)
    results, items = [], []
    for path, digest in zip(paths, hashes, strict=True):
        result, item = _prepare(Path(path), raw_dir, digest, organisations, today)
        results.append(result)
        if item is not None:
            items.append(item)
    _guarded(items, lambda some: _check_values(some, regions))
    return results


def _internal_error(result: CheckResult, exc: Exception) -> None:
    # The exception text may quote a cell (e.g. a failed cast), so only its type is kept.
    log.error("check of %s stopped on %s", result.display_name, type(exc).__name__)
    result.trajecten = result.banen = result.organisatie = None
    result.quarantined = []
    result.rejections.append(
        Problem(
            result.display_name,
            None,
            None,
            None,
            None,
            "internal_error",
            {"detail": type(exc).__name__},
        )
    )


def _guarded(items: list[_Item], step) -> None:
    if not items:
        return
    try:
        step(items)
    except Exception as exc:
        if len(items) == 1:
            _internal_error(items[0].result, exc)
            return
        for item in items:
            _guarded([item], step)


def _prepare(path, raw_dir, digest, organisations, today) -> tuple[CheckResult, _Item | None]:
    """Name, register and reading: everything that is per file."""
    result = naming.start_result(
        path, raw_dir, digest or (content_hash(path) if path.exists() else "")
    )
    if result.is_rejected:
        return result, None
    quarter, name_quarter = naming.check_name_and_register(result, path, organisations, today)
    if result.file_format == "unknown":
        return result, None
    try:
        raw = (
            read_csv_folder(path, path.name)
            if path.is_dir()
            else read_xlsx(path, result.display_name)
        )
    except Exception as exc:
        _internal_error(result, exc)
        return result, None
    result.notes.extend(raw.notes)
    result.rejections.extend(raw.rejections)
    period = quarter or (Quarter.parse(name_quarter) if name_quarter else None)
    return result, _Item(result, raw, period, name_quarter, list(result.rejections))


def _complete(raw: RawSubmission) -> bool:
    return all(
        sheet in raw.frames
        and all(c.name in raw.frames[sheet].known for c in spec.columns if not c.may_be_omitted)
        for sheet, spec in submission_format().sheets.items()
    )


def _check_values(items: list[_Item], regions) -> None:
    for item in items:  # a retried batch starts from what reading found
        item.result.rejections[:] = item.rejections
        item.result.quarantined = []
        item.result.trajecten = item.result.banen = item.result.organisatie = None
    con = _connection()
    try:
        # identifiers first: when there are any, nothing else about the values is said
        groups = [[*item.raw.frames.values(), *item.raw.extras] for item in items]
        clean = []
        for item, hits in zip(items, bsn_problems(con, groups), strict=True):
            rejections = item.result.rejections
            found = [p for p in rejections if p.rule_code in IDENTIFIER_RULES]
            found += [p for f in item.raw.extras for p in f.problems] + hits
            if found:
                rejections[:] = [
                    p for p in rejections if p.rule_code not in IDENTIFIER_RULES
                ] + found
            elif _complete(item.raw):
                clean.append(item)
        if clean:
            _check_rows(con, clean, batch.allowed_codes(regions))
    finally:
        con.close()


def _check_rows(con, items: list[_Item], codes) -> None:
    formats = submission_format().sheets
    periods = [item.period for item in items]
    batch.load_periods(con, periods)
    for sheet, spec in formats.items():
        batch.load_cells(con, spec, [data_table(item.raw.frames[sheet], spec) for item in items])
    labels = {sheet: [item.raw.frames[sheet].label for item in items] for sheet in formats}
    traj_problems, has_ips = _check_trajecten(con, labels["trajecten"], codes, periods)
    job_problems = _check_banen(con, labels["banen"], codes, periods)
    trajecten = batch.rows_per_submission(con, formats["trajecten"], len(items))
    banen = batch.rows_per_submission(con, formats["banen"], len(items))
    organisatie = check_organisatie(
        con,
        formats["organisatie"],
        labels["organisatie"],
        [item.result.organisation_code for item in items],
        [item.name_quarter for item in items],
        has_ips,
        periods,
    )
    for i, item in enumerate(items):
        result = item.result
        result.quarantined = traj_problems[i] + job_problems[i]
        result.organisatie, org_problems = organisatie[i]
        result.rejections += org_problems
        if not result.is_rejected:  # nothing of a rejected submission is loaded
            result.trajecten, result.banen = trajecten[i], banen[i]
        else:
            result.organisatie = None


def _check_trajecten(con, labels, codes, periods) -> tuple[list[list[Problem]], list[bool]]:
    found = rules.trajecten_rules(submission_format().sheets["trajecten"], codes)
    batch.run_rules(con, "trajecten", found)
    ips = {
        r[0]
        for r in con.execute(
            "select distinct sub from typed_trajecten where t__trajecttype = 'IPS'"
        ).fetchall()
    }
    return batch.problems(con, "trajecten", labels, periods, found), [
        i in ips for i in range(len(labels))
    ]


def _check_banen(con, labels, codes, periods) -> list[list[Problem]]:
    found = rules.banen_rules(submission_format().sheets["banen"], codes)
    batch.run_rules(con, "banen", found)
    return batch.problems(con, "banen", labels, periods, found)
