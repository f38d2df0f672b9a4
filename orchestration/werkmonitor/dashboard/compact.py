"""Turn the published tables into the dashboard's compact ``DATA`` object."""

from __future__ import annotations

from typing import Any

import pandas as pd

from werkmonitor.catalogue.indicators import indicators as catalogue_indicators
from werkmonitor.charts.published import UNPUBLISHED_NL, PublishedBreakdowns, breakdown_of
from werkmonitor.dashboard.cells import compact_cells
from werkmonitor.dashboard.data import FAMILIES_NL
from werkmonitor.dashboard.regions import ambition, completeness
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
    """The catalogue's indicators that the file has rows of, in report order.

    An indicator the catalogue no longer knows (a carried-over quarter of an
    older file) is still shown, with the labels its rows carry.
    """
    present = set(qi["indicator"])
    out = [
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
    for code in sorted(present - {i["code"] for i in out}):
        rows = qi[qi["indicator"] == code]
        label = rows["indicator_label_nl"].dropna() if "indicator_label_nl" in rows else []
        kind = rows["indicator_kind"].dropna() if "indicator_kind" in rows else []
        out.append({
            "code": code,
            "label": label.iloc[0] if len(label) else code,
            "kind": kind.iloc[0] if len(kind) else (
                "count" if rows["denominator"].isna().all() else "share"
            ),
            "family": "", "family_label": "Overige indicatoren",
            "numerator": "", "denominator": "", "definition": "", "applies_to": [],
        })  # fmt: skip
    return out


def _unpublished(published: PublishedBreakdowns | None, qi: pd.DataFrame) -> dict:
    """``{level: [[type, breakdown], …]}`` published at another level but not at this
    one (none without the table)."""
    published = published or PublishedBreakdowns(None)
    keys = qi[["trajectory_type", "financing", "ips_scheme", "ips_phase"]].drop_duplicates()
    pairs = {(t, breakdown_of(f, s, p)) for t, f, s, p in keys.itertuples(index=False)}
    return {lv: published.unpublished(lv, pairs) for lv in ("national", "region")}


def _unpublished_indicators(published: PublishedBreakdowns | None) -> dict:
    """``{level: [indicator, …]}`` published at another level but not at this one."""
    published = published or PublishedBreakdowns(None)
    return {lv: published.unpublished_indicators(lv) for lv in ("national", "region")}


def compact(tables: dict[str, pd.DataFrame | None]) -> dict[str, Any]:
    """The ``DATA`` object of ``data.js`` (see :mod:`werkmonitor.dashboard.data`)."""
    qi = tables["quarterly_indicators"]
    quarters = sorted(qi["quarter"].unique())
    indicators = _indicators(qi)
    kinds = {i["code"]: i["kind"] for i in indicators}
    breakdowns, hidden, cells = compact_cells(qi, quarters, kinds)
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
        # Breakdowns not published at a level: the page says so instead of a figure.
        "unpublished": _unpublished(tables.get("published_breakdowns"), qi),
        # Indicators not published at a level (published_indicators): said, never 0 or x.
        "unpublished_indicators": _unpublished_indicators(tables.get("published_breakdowns")),
        "unpublished_text": UNPUBLISHED_NL,
        "completeness": completeness(tables.get("region_completeness")),
        "ambition": ambition(tables.get("regional_ambition")),
    }
