"""Chart templates for the page: specs from :mod:`werkmonitor.charts`.

The page draws every chart from one of these specs with its ``main`` (and
``reference``) dataset replaced by the rows of the current view, so the
dashboard and the reports share one chart definition. A template is built
from a row or two of sample data; only the data change in the browser.
One template per indicator kind, because the axis format follows the kind.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from werkmonitor import charts
from werkmonitor.charts.cache import cached_spec
from werkmonitor.charts.theme import KINDS

_SAMPLE = {"count": (12, "12"), "share": (0.5, "50,0%"), "ratio": (1.5, "1,5")}


def _line(kind: str, quarters: list[str], reference: bool) -> dict[str, Any]:
    value, label = _SAMPLE[kind]
    rows = pd.DataFrame([{"quarter": quarters[-1], "series": "s", "value": value, "label": label}])
    ref = rows.assign(series="Landelijk") if reference else None
    return charts.quarter_lines(rows, kind=kind, reference=ref, quarters=quarters, height=220)


def _tiles(kind: str) -> dict[str, Any]:
    value, label = _SAMPLE[kind]
    rows = pd.DataFrame(
        [
            {
                "region_code": "AM01",
                "region_name": "Groningen",
                "value": value,
                "label": label,
                "mark": "",
            }
        ]
    )
    return charts.region_tiles(rows, kind=kind)


def templates(quarters: list[str]) -> dict[str, dict[str, Any]]:
    """``line_<kind>``, ``line_ref_<kind>``, ``tiles_<kind>``, ``ambition``, ``cohort``.

    Built with altair once per machine, code and quarters (~1 CPU s), then read
    from the chart cache (:mod:`werkmonitor.charts.cache`)."""
    source = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return cached_spec(repr(("dashboard", source, list(quarters))), lambda: _build(quarters))


def _build(quarters: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        out[f"line_{kind}"] = _line(kind, quarters, reference=False)
        out[f"line_ref_{kind}"] = _line(kind, quarters, reference=True)
        out[f"tiles_{kind}"] = _tiles(kind)
    out["ambition"] = charts.bar_chart(
        pd.DataFrame(
            [
                {
                    "category": "Groningen",
                    "series": "Aandeel van het doel",
                    "value": 0.5,
                    "label": "50,0%",
                }
            ]
        ),
        kind="share",
        width=420,
        step=14,
    )
    out["cohort"] = charts.cohort_curve(
        pd.DataFrame(
            [
                {
                    "series": "s",
                    "month": m,
                    "cumulative_share": 0.1 * m,
                    "ci_lower": 0.0,
                    "ci_upper": 0.2 * m,
                    "at_risk": 100,
                }
                for m in (1, 2)
            ]
        ),
        max_month=36,
    )
    for spec in out.values():
        spec.pop("title", None)
    return out
