"""Many charts of few shapes: a spec built once per shape, then only its rows change.

A spec depends on its data only through ``datasets["main"]`` and
``description`` (:mod:`werkmonitor.charts.theme`), except for a few choices a
builder makes from the data (a bar chart's legend when there is more than one
series, a cohort curve's row of numbers at risk and its last month). So
:func:`figure` builds the spec of a shape with the builder once and after
that only puts the rows and their text alternative in, with the builder's own
``prepare`` — the reports draw ~700 charts a quarter from a few dozen shapes.
``tests/test_charts_figures.py`` checks that the result equals the builder's.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from werkmonitor.charts import bars, cohorts, lines, tiles
from werkmonitor.charts.cache import cached_spec

_PREPARE: dict[str, Callable] = {
    "bar_chart": bars.prepare,
    "quarter_lines": lines.prepare,
    "cohort_curve": cohorts.prepare,
    "region_tiles": tiles.prepare,
}
_SHAPES: dict[tuple, tuple[dict, list]] = {}  # shape → (spec, its quarters)
# (shape, other quarters) → the shape's spec with those quarters: kept, so every
# chart of a shape and x domain shares one template (its parts are the same
# objects, which lets a page serialise each template once: ``template_key``).
_SWAPPED: dict[tuple, dict] = {}
# Arguments that only order the rows (``prepare`` writes them into the rows'
# ``*_order`` fields) or set the text alternative: not part of a shape.
_DATA_ONLY = frozenset({"category_order", "series_order", "description"})


def _shape_key(name: str, rows: list[dict], kw: dict) -> tuple:
    several = len({r.get("series") for r in rows}) > 1
    at_risk = any(r.get("at_risk") is not None for r in rows)
    shape = sorted((k, v) for k, v in kw.items() if k not in _DATA_ONLY and k != "quarters")
    # The quarters are the x domain: swapped in below, a shape per count of them.
    return name, several, at_risk, len(kw.get("quarters") or ()), repr(shape)


def _swap(node, old: list, new: list):
    """``node`` with every list equal to ``old`` (the template's x domain) replaced by ``new``."""
    if isinstance(node, dict):
        return {k: _swap(v, old, new) for k, v in node.items()}
    if isinstance(node, list):
        return list(new) if node == old else [_swap(v, old, new) for v in node]
    return node


def figure(builder: Callable, rows: list[dict], **kw) -> dict:
    """``builder(pd.DataFrame(rows), **kw)``, the builder itself run once per shape
    (and machine: the shape's spec is kept in the cache for the next process).

    ``builder`` is one of :func:`~werkmonitor.charts.bar_chart`,
    :func:`~werkmonitor.charts.quarter_lines` (without ``reference``),
    :func:`~werkmonitor.charts.cohort_curve`,
    :func:`~werkmonitor.charts.region_tiles`; ``rows`` as the builder's data.
    """
    name = builder.__name__
    if name not in _PREPARE or kw.get("reference") is not None:
        raise ValueError(f"figure() does not cover {name} with these arguments; call it directly")
    if name == "cohort_curve" and kw.get("max_month") is None:
        # The builder would take the last month from the data: part of the shape.
        kw["max_month"] = int(max((r["month"] for r in rows), default=0))
    key = _shape_key(name, rows, kw)
    quarters = list(kw.get("quarters") or ())
    if key not in _SHAPES:
        built: list[dict] = []

        def build() -> dict:
            built.append(builder(pd.DataFrame(rows), **kw))
            return built[0]

        # A shape an earlier process built is read from the cache (``charts.cache``).
        _SHAPES[key] = cached_spec(repr(("figure", key, quarters)), build), quarters
        if built:
            return built[0]
    template, old = _SHAPES[key]
    if quarters != old:
        swapped = (key, tuple(quarters))
        if swapped not in _SWAPPED:
            body = {k: v for k, v in template.items() if k != "datasets"}
            _SWAPPED[swapped] = {**_swap(body, old, quarters), "datasets": template["datasets"]}
        template = _SWAPPED[swapped]
    main, text = _PREPARE[name](rows, **kw)
    return {
        **template,
        "datasets": {**template["datasets"], "main": main},
        "description": kw.get("description") or text,
    }


def template_of(spec: dict) -> dict:
    """The spec without its data: what every chart of its shape shares."""
    return {k: v for k, v in spec.items() if k not in ("datasets", "description")}


def template_key(spec: dict) -> tuple:
    """A key equal for specs whose :func:`template_of` are the very same objects.

    Specs from :func:`figure` of one shape share their template's parts, so a
    page can serialise a template once per key instead of once per chart.
    The caller keeps the parts alive as long as it keeps the key (object ids
    are only unique among live objects): ``template_parts``.
    """
    return tuple((k, id(v)) for k, v in template_of(spec).items())


__all__ = ["figure", "template_key", "template_of"]
