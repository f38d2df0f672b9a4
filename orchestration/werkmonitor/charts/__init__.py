"""The one chart grammar of reports and dashboard: Vega-Lite specs from tidy data.

Each builder takes a pandas DataFrame (one row per mark, the ``label`` text
formatted with :mod:`werkmonitor.formatting`, ``value`` None where the
published file hides the figure) and returns a Vega-Lite spec as a plain dict
with a ``description`` (its text alternative) and its rows in
``spec["datasets"]``. Dashboard and reports draw it in the browser with the
bundled vega-embed (:func:`javascript_bundle`, as a file: :func:`write_bundle`;
no network), so both show the same chart: the dashboard swaps
``datasets["main"]`` for the current view; the reports take many charts of one
shape fast from :func:`figure` and write each one's figures as a table too
(:func:`data_table`, the text equivalent). :func:`to_svg` / :func:`to_png`
render a spec offline in-process (vl-convert), for tests and exports.

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
    "data_table": "tables",
    "figure": "figures",
    "template_of": "figures",
    "template_key": "figures",
    "write_bundle": "render",
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
    "data_table",
    "figure",
    "javascript_bundle",
    "quarter_lines",
    "region_tiles",
    "template_key",
    "template_of",
    "to_png",
    "to_svg",
    "write_bundle",
]
