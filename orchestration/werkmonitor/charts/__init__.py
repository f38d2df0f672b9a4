"""The one chart grammar of reports and dashboard: Vega-Lite specs from tidy data.

Each builder takes a pandas DataFrame (one row per mark, the ``label`` text
formatted with :mod:`werkmonitor.formatting`, ``value`` None where the
published file hides the figure) and returns a Vega-Lite spec as a plain dict
with a ``description`` (its text alternative) and its rows in
``spec["datasets"]``. Reports render it with :func:`to_svg` / :func:`to_png`;
the dashboard swaps ``datasets["main"]`` for the current view and draws it with
the bundled vega-embed (:func:`javascript_bundle`), so both show the same
chart.

- :func:`quarter_lines` — an indicator over quarters, series as lines, hidden
  points as gaps with their mask, optional national reference line;
- :func:`bar_chart` — grouped or stacked bars;
- :func:`region_tiles` — the 35 labour-market regions as a tile grid with
  completeness marks;
- :func:`cohort_curve` — cumulative share by month since start, 95% band and
  numbers at risk.

Builders skip altair's schema validation (a tenth of a second per chart);
``tests/test_charts_specs.py`` validates every builder's output against the
Vega-Lite schema instead.
"""

from __future__ import annotations

import importlib

# Imported on first use: altair and vl-convert take a second to load, and the
# Dagster definitions import modules that import this package.
_HOMES = {
    "bar_chart": "bars",
    "cohort_curve": "cohorts",
    "quarter_lines": "lines",
    "javascript_bundle": "render",
    "to_png": "render",
    "to_svg": "render",
    "PALETTE": "theme",
    "REFERENCE_COLOR": "theme",
    "TILES": "tiles",
    "region_tiles": "tiles",
}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)


__all__ = [
    "PALETTE",
    "REFERENCE_COLOR",
    "TILES",
    "bar_chart",
    "cohort_curve",
    "javascript_bundle",
    "quarter_lines",
    "region_tiles",
    "to_png",
    "to_svg",
]
