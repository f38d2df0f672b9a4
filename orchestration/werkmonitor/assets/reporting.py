"""The reports and dashboard calls of the publish assets, whatever their version returns.

``render_reports`` returns a ``ReportsResult(written, failed, skipped)``
(contract 6); an older version returned the list of written files and raised
on the first failure. Either way one report's failure becomes a named failed
report here, never a failed step.
"""

from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass, field
from pathlib import Path

from werkmonitor.config import Settings

log = logging.getLogger(__name__)


@dataclass
class QuarterReports:
    written: list = field(default_factory=list)
    failed: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)


def render_quarter(paths: Settings, quarter: str, progress=None) -> QuarterReports:
    """``progress(name, done, total)`` hears of each report as it is written, when the
    reports' version takes it."""
    from werkmonitor.publish import render_reports

    kwargs = {}
    parameters = inspect.signature(render_reports).parameters
    if "organisations_dir" in parameters:
        kwargs["organisations_dir"] = paths.organisations_dir
    if progress is not None and "progress" in parameters:
        kwargs["progress"] = progress
    try:
        result = render_reports(paths.publish_dir, quarter, paths.warehouse, **kwargs)
    except Exception as error:  # noqa: BLE001 - a failed render is reported, not raised
        return QuarterReports(failed={"all reports": f"{type(error).__name__}: {error}"})
    if isinstance(result, list | tuple):
        return QuarterReports(written=list(result))
    return QuarterReports(
        written=list(result.written), failed=dict(result.failed), skipped=list(result.skipped)
    )


def build_dashboard_if_available(publish_dir: Path) -> Path | None:
    """The dashboard helper's ``build_dashboard(publish_dir)``, when it exists."""
    builder = None
    for module in ("werkmonitor.publish.dashboard", "werkmonitor.dashboard"):
        try:
            builder = __import__(module, fromlist=["build_dashboard"]).build_dashboard
            break
        except (ImportError, AttributeError):
            continue
    if builder is None:
        return None
    try:
        built = builder(publish_dir)
    except Exception as error:  # noqa: BLE001 - the figures are published either way
        log.warning("dashboard not built: %s", error)
        return None
    return Path(built) if built else publish_dir / "dashboard"
