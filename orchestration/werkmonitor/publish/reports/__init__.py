"""Quarterly reports in Dutch (HTML; the national one also as PDF).

``render_reports(publish_dir, quarter, warehouse, organisations_dir=None)``
(contract 6) writes the public tier — the national report and one report per
labour-market region, read from the public file only — under
``<publish_dir>/reports/<quarter>/``, and the organisation tier — one report
per organisation with its own figures unsuppressed next to the published
national and regional ones, read from the working warehouse — under
``<organisations_dir>/<ORG>/<quarter>/``. It returns a :class:`ReportsResult`
and never raises because one report fails.
"""

from __future__ import annotations

from pathlib import Path

from werkmonitor.publish.reports.document import ReportError
from werkmonitor.publish.reports.pdf import CHROMIUM, chromium_flags
from werkmonitor.publish.reports.plan import organisation_path, plan
from werkmonitor.publish.reports.render import (
    Progress,
    ReportsResult,
    remove_stale,
    remove_tree,
    run,
)
from werkmonitor.quarters import Quarter


def _remove_stale_organisations(org_dir: Path, quarter: str, keep: set[str]) -> None:
    if org_dir.exists():
        for folder in org_dir.glob(f"*/{quarter}"):
            if folder.parent.name not in keep:
                remove_stale(folder, set())


def render_reports(
    publish_dir: Path,
    quarter: str,
    warehouse: Path | None = None,
    organisations_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> ReportsResult:
    """Write the quarter's public and organisation reports; see the module docstring.

    ``progress(name, done, total)`` is called after each report is written,
    skipped or failed (``landelijk``, ``regio/AM18``, ``organisatie/ORG07``;
    ``done`` of ``total`` reports of the quarter), always in this process.

    ``organisations_dir`` defaults to ``config.settings().organisations_dir``;
    without ``warehouse`` only the public reports are drawn. Raises
    :class:`ReportError` only when the quarter has no public figures at all
    (no published file, or the quarter is not in it).
    """
    quarter = str(Quarter.parse(quarter))
    publish_dir = Path(publish_dir)
    if warehouse is not None and organisations_dir is None:
        from werkmonitor.config import settings

        organisations_dir = settings().organisations_dir
    args = (publish_dir, quarter, warehouse, organisations_dir)
    planned = plan(*args)
    # Organisation reports never sit in the public tier (older runs put them here).
    remove_tree(publish_dir / "reports" / quarter / "organisatie")
    if planned.organisations is not None:
        _remove_stale_organisations(Path(organisations_dir), quarter, set(planned.organisations))
    result = run(planned.jobs, planned.context, workers, args, progress)
    result.failed.update(planned.failures)
    return result


__all__ = [
    "CHROMIUM",
    "Progress",
    "ReportError",
    "ReportsResult",
    "chromium_flags",
    "organisation_path",
    "render_reports",
]
