"""Turn the published tables into the dashboard's compact ``DATA`` object."""

from __future__ import annotations

from typing import Any

import pandas as pd

from werkmonitor.catalogue.indicators import indicators as catalogue_indicators
from werkmonitor.dashboard.data import (
    DIMENSIONS,
    FAMILIES_NL,
    NATIONAL,
    REASONS_NL,
    _missing,
    _visible,
)
from werkmonitor.formatting import fmt_count, fmt_pct
from werkmonitor.reference import read_seed


def _dim(tables: dict[str, pd.DataFrame | None], table: str, seed: str) -> pd.DataFrame:
    """A label table of the published file; the seed when the file has none
    (labels are public reference data, the same seed the marts are built from)."""
    frame = tables.get(table)
    if frame is None or frame.empty:
        frame = pd.DataFrame(read_seed(seed))
    if "sort_order" in frame:
        frame = frame.assign(sort_order=pd.to_numeric(frame["sort_order"], errors="coerce"))
    return frame


def _labels(frame: pd.DataFrame, code: str) -> list[list[str]]:
    """``[[code, label], …]`` in sort order, ``ALL`` (Totaal) first."""
    out = [["ALL", "Totaal"]]
    if "sort_order" in frame:
        frame = frame.sort_values("sort_order")
    out += [[r[code], r["label_nl"]] for r in frame.to_dict("records")]
    return out


def _indicators(qi: pd.DataFrame) -> list[dict[str, Any]]:
    """The catalogue's indicators that the file has rows of, in report order."""
    present = set(qi["indicator"])
    return [
        {
            "code": i.code,
            "label": i.label_nl,
            "kind": i.kind,
            "family": i.family,
            "family_label": FAMILIES_NL.get(i.family, i.family),
            "numerator": i.numerator_nl,
            "denominator": i.denominator_nl,
            "definition": i.definition,
            "applies_to": list(i.applies_to),
        }
        for i in catalogue_indicators()
        if i.code in present
    ]


CELL_COLUMNS = [
    "quarter",
    "level",
    "region_code",
    *DIMENSIONS,
    "indicator",
    "is_suppressed",
    "suppression_reason",
    "display_value",
    "numerator",
    "denominator",
    "previous_value",
    "change_absolute",
    "change_relative",
    "like_for_like_value",
    "like_for_like_previous_value",
    "like_for_like_organisations",
]


def _cells(qi: pd.DataFrame, quarters: list[str], kinds: dict[str, str]):
    breakdowns: dict[tuple, int] = {}
    hidden: dict[tuple, int] = {}
    cells: dict[str, dict[str, dict[str, list]]] = {}
    qindex = {q: i for i, q in enumerate(quarters)}
    columns = [c for c in CELL_COLUMNS if c in qi.columns]
    # Plain tuples: DataFrame.to_dict boxes every value and dominated the build.
    frame = qi[columns].astype(object).where(qi[columns].notna(), None)
    for values in frame.itertuples(index=False, name=None):
        row = dict(zip(columns, values, strict=True))
        key = tuple(row[d] for d in DIMENSIONS)
        b = breakdowns.setdefault(key, len(breakdowns))
        place = NATIONAL if row["level"] == "national" else row["region_code"]
        by_place = cells.setdefault(row["indicator"], {}).setdefault(place, {})
        slots = by_place.setdefault(str(b), [None] * len(quarters))
        if row["is_suppressed"]:
            mask = (row["display_value"] or "x", row["suppression_reason"] or "")
            slots[qindex[row["quarter"]]] = hidden.setdefault(mask, len(hidden))
        else:
            slots[qindex[row["quarter"]]] = _visible(row, kinds[row["indicator"]])
    return (
        [list(k) for k in breakdowns],
        [[mask, reason, REASONS_NL.get(reason, reason)] for mask, reason in hidden],
        cells,
    )


def _completeness(frame: pd.DataFrame | None) -> dict[str, dict[str, list]]:
    out: dict[str, dict[str, list]] = {}
    for r in [] if frame is None else frame.to_dict("records"):
        missing = r.get("missing_organisations")
        missing = [] if missing is None else [str(m) for m in list(missing)]
        out.setdefault(r["quarter"], {})[r["region_code"]] = [
            r.get("mark") or "",
            r.get("status_label_nl") or r.get("status") or "",
            int(r.get("organisations_expected") or 0),
            int(r.get("organisations_delivered") or 0),
            missing,
        ]
    return out


def _ambition(frame: pd.DataFrame | None) -> dict[str, dict[str, list]]:
    out: dict[str, dict[str, list]] = {}
    for r in [] if frame is None else frame.to_dict("records"):
        target = r.get("yearly_target")
        hidden = bool(r.get("is_suppressed"))
        share = (
            "" if hidden or _missing(r.get("share_of_target")) else fmt_pct(r["share_of_target"])
        )
        out.setdefault(r["quarter"], {})[r["region_code"]] = [
            r.get("display_value") or "",
            "" if _missing(target) else fmt_count(target),
            share,
            r.get("division_code") or "",
            REASONS_NL["ambition"] if hidden else "",
            int(r["year"]),
        ]
    return out


def compact(tables: dict[str, pd.DataFrame | None]) -> dict[str, Any]:
    """The ``DATA`` object of ``data.js`` (see :mod:`werkmonitor.dashboard.data`)."""
    qi = tables["quarterly_indicators"]
    quarters = sorted(qi["quarter"].unique())
    indicators = _indicators(qi)
    kinds = {i["code"]: i["kind"] for i in indicators}
    unknown = set(qi["indicator"]) - set(kinds)
    if unknown:
        raise ValueError(f"indicators without a catalogue entry: {sorted(unknown)}")
    breakdowns, hidden, cells = _cells(qi, quarters, kinds)
    regions = _dim(tables, "dim_regions", "regions")
    publication = tables.get("publication")
    pub = {} if publication is None or publication.empty else publication.iloc[0]
    return {
        "publication": {
            "id": str(pub.get("publication_id", "")) if len(pub) else "",
            "published_at": str(pub.get("published_at", ""))[:19] if len(pub) else "",
        },
        "quarters": quarters,
        "regions": sorted(
            [[r["region_code"], r["region_name"]] for r in regions.to_dict("records")],
            key=lambda x: x[1],
        ),
        "dimensions": {
            "trajectory_type": _labels(
                _dim(tables, "dim_trajectory_types", "trajectory_types"), "trajectory_type"
            ),
            "financing": _labels(
                _dim(tables, "dim_financing_types", "financing_types"), "financing"
            ),
            "ips_scheme": _labels(_dim(tables, "dim_ips_schemes", "ips_schemes"), "ips_scheme"),
            "ips_phase": _labels(_dim(tables, "dim_ips_phases", "ips_phases"), "ips_phase"),
        },
        "indicators": indicators,
        "breakdowns": breakdowns,
        "hidden": hidden,
        "cells": cells,
        "completeness": _completeness(tables.get("region_completeness")),
        "ambition": _ambition(tables.get("regional_ambition")),
    }
