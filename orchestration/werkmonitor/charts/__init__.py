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
"""

from __future__ import annotations

from werkmonitor.charts.bars import bar_chart
from werkmonitor.charts.cohorts import cohort_curve
from werkmonitor.charts.lines import quarter_lines
from werkmonitor.charts.render import javascript_bundle, to_png, to_svg
from werkmonitor.charts.theme import PALETTE, REFERENCE_COLOR
from werkmonitor.charts.tiles import TILES, region_tiles

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
