"""Publishing: the aggregate DuckDB file for BI tools, suppression, reports.

``publish`` builds ``<publish_dir>/werkmonitor.duckdb`` (suppressed aggregates,
atomic swap); ``render_reports`` writes the Dutch HTML/PDF reports from that
published file, so a report never shows a number the file hides.
"""

from __future__ import annotations

from werkmonitor.publish.build import PublishError, PublishResult, publish
from werkmonitor.publish.policy import Policy, PolicyError, load_policy


def render_reports(publish_dir, quarter, warehouse=None):
    """See :func:`werkmonitor.publish.reports.render_reports` (imported lazily:
    it pulls in matplotlib and jinja2)."""
    from werkmonitor.publish.reports import render_reports as _render

    return _render(publish_dir, quarter, warehouse)


__all__ = [
    "Policy",
    "PolicyError",
    "PublishError",
    "PublishResult",
    "load_policy",
    "publish",
    "render_reports",
]
