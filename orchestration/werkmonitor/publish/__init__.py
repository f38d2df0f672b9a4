"""Publishing: the aggregate DuckDB file for BI tools, suppression, reports.

``publish`` builds ``<publish_dir>/werkmonitor.duckdb`` (suppressed aggregates,
atomic swap); ``render_reports`` writes the Dutch national and regional reports
from that published file, so a report never shows a number the file hides, and
each organisation's own report into the organisation tier.
"""

from __future__ import annotations

from werkmonitor.publish.build import PublishError, PublishResult, publish
from werkmonitor.publish.policy import Policy, PolicyError, load_policy


def render_reports(
    publish_dir, quarter, warehouse=None, organisations_dir=None, workers=None, progress=None
):
    """See :func:`werkmonitor.publish.reports.render_reports` (imported lazily:
    it pulls in the chart backend and jinja2)."""
    from werkmonitor.publish.reports import render_reports as _render

    return _render(publish_dir, quarter, warehouse, organisations_dir, workers, progress)


__all__ = [
    "Policy",
    "PolicyError",
    "PublishError",
    "PublishResult",
    "load_policy",
    "publish",
    "render_reports",
]
