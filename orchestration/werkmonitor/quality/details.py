"""Gate details for the monitor's analysts, in the internal tier.

``internal/gates/<quarter>.json`` keeps every gate of the quarter's last run
with its metadata (the offending rows included), so an analyst can look a
finding up without GX. Row-level values: never under the publish dir.
Also the clean-up of a quarter's earlier Data Docs pages before a new run
and of pages no quarter links to after it.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

from werkmonitor.quality.gx_results import plain
from werkmonitor.quality.gx_run import run_name
from werkmonitor.quality.results import GateRun


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    value = plain(value)
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def write_gate_details(run: GateRun, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    body = {
        "quarter": run.quarter,
        "passed": run.passed,
        "blocking_failures": run.blocking_failures,
        "warnings": run.warnings,
        "summary": run.summary(),
        "results": [_jsonable(asdict(result)) for result in run.results],
    }
    path = folder / f"{run.quarter}.json"
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def clear_quarter_pages(site_dir: Path, quarter: str) -> None:
    """Remove a previous run's pages of this quarter, so its overview shows this run only."""
    quarter_dir = site_dir / quarter
    if quarter_dir.exists():
        _clear(quarter_dir)
    validations = site_dir / "validations"
    if validations.is_dir():
        for folder in validations.glob(f"*/{run_name([quarter])}"):
            _clear(folder)


LINK = re.compile(r'validations/([^/"]+)/([^/"]+)/')


def prune_unlinked_pages(site_dir: Path) -> None:
    """Remove GX pages of earlier runs that no quarter's overview links to any more.

    A range run's page holds every quarter of the range; once each of those
    quarters has been checked again, nothing points to it.
    """
    linked = set()
    for overview in site_dir.glob("*/gates.html"):
        linked |= set(LINK.findall(overview.read_text(encoding="utf-8")))
    for folder in (site_dir / "validations").glob("*/*"):
        if folder.is_dir() and (folder.parent.name, folder.name) not in linked:
            _clear(folder)


def _clear(folder: Path) -> None:
    with tempfile.TemporaryDirectory(dir=folder.parent) as trash:
        folder.rename(Path(trash) / "old")
        shutil.rmtree(Path(trash) / "old", ignore_errors=True)
