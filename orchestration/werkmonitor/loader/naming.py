"""The rules about a submission's name, folder, quarter and organisation (before its contents)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from werkmonitor import reference
from werkmonitor.loader.files import NAME_RE
from werkmonitor.loader.problem import Problem
from werkmonitor.loader.result import CheckResult
from werkmonitor.quarters import FIRST_QUARTER, Quarter


def _problem(display: str, rule: str, **params) -> Problem:
    return Problem(display, None, None, None, None, rule, params)


def start_result(path: Path, raw_dir: Path | None, digest: str) -> CheckResult:
    """The result skeleton; rejected at once when the path does not exist."""
    display = file_path = path.name
    if raw_dir is not None:
        try:
            file_path = path.resolve().relative_to(Path(raw_dir).resolve()).as_posix()
        except ValueError:
            file_path = path.as_posix()
    if not path.exists():
        result = CheckResult(path, file_path, display, None, None, "", "unknown")
        result.rejections.append(_problem(display, "not_found"))
        return result
    is_dir = path.is_dir()
    file_format = "csv" if is_dir else ("xlsx" if path.suffix.lower() == ".xlsx" else "unknown")
    return CheckResult(path, file_path, display, None, None, digest, file_format)


def check_name_and_register(
    result: CheckResult,
    path: Path,
    organisations: Mapping[str, reference.Organisation] | None,
    today: dt.date | None,
) -> tuple[Quarter | None, str | None]:
    """Name pattern, folder quarter, quarter range, register; returns (quarter, name quarter)."""
    display, rejections = result.display_name, result.rejections
    is_dir = path.is_dir()
    stem = path.name if is_dir else (path.stem if result.file_format == "xlsx" else path.name)
    match = NAME_RE.match(stem)
    folder = path.parent.name
    folder_quarter = str(Quarter.parse(folder)) if Quarter.is_valid(folder) else None
    name_quarter = str(Quarter.parse(match["quarter"])) if match else None
    result.quarter = folder_quarter or name_quarter
    if match:
        result.organisation_code = match["org"].upper()
    if result.file_format == "unknown":
        rejections.append(_problem(display, "unsupported_format", name=path.name))
        return None, name_quarter
    if not match:
        rejections.append(_problem(display, "file_name", name=stem))
    elif folder_quarter and name_quarter != folder_quarter:
        rejections.append(
            _problem(
                display,
                "quarter_mismatch",
                name_quarter=name_quarter,
                folder_quarter=folder_quarter,
            )
        )
    elif not folder_quarter:
        result.notes.append(f"no_quarter_folder:{folder}")
    quarter = Quarter.parse(result.quarter) if result.quarter else None
    last = Quarter.containing(today or dt.date.today())
    first = Quarter.parse(FIRST_QUARTER)
    if quarter is not None and not (first <= quarter <= last):
        rejections.append(
            _problem(
                display, "quarter_unknown", quarter=str(quarter), first=str(first), last=str(last)
            )
        )
        quarter = None
    register = reference.organisations() if organisations is None else organisations
    org = result.organisation_code
    if org is not None:
        if org not in register:
            rejections.append(_problem(display, "organisation_unknown", code=org))
        elif quarter is not None and not register[org].is_active(quarter):
            rejections.append(
                _problem(display, "organisation_inactive", code=org, quarter=str(quarter))
            )
    return quarter, name_quarter
