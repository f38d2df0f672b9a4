"""The one place the reports call a chart backend.

Every report chart goes through these functions, so the backend is switched
in one place (issue 13 §3: one chart library for reports and dashboard) and a
test can make one chart fail to check that only its report fails.
"""

from __future__ import annotations

from werkmonitor.publish import svgcharts


def bar_chart(categories, series, masks=None, percent=False, horizontal=False, signed=False):
    return svgcharts.bar_chart(
        categories, series, masks, percent=percent, horizontal=horizontal, signed=signed
    )


def line_chart(periods, series):
    return svgcharts.line_chart(periods, series)


def stacked_share_chart(categories, parts):
    return svgcharts.stacked_share_chart(categories, parts)


def cohort_chart(curves):
    return svgcharts.cohort_chart(curves)
