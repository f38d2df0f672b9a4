"""Who the register expects for a quarter, and the frames built from it.

The coverage frame (one row: expected, delivered, missing) and the per-region
register counts that ``region_completeness`` is checked against come from
``seeds/`` (``werkmonitor.reference``), not from the warehouse, so a mart built
with older seeds is caught.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from werkmonitor import reference
from werkmonitor.quarters import Quarter


@dataclass
class Register:
    """Who the organisation register expects to deliver for a quarter."""

    expected: list[str]
    names: dict[str, str]
    regions_by_org: dict[str, list[str]]


def register_for(quarter: Quarter, seeds_dir: Path) -> Register:
    orgs = reference.organisations(seeds_dir)
    entries = [e for e in reference.organisation_regions(seeds_dir) if e.is_valid(quarter)]
    regions_by_org: dict[str, list[str]] = {}
    for entry in entries:
        org = orgs.get(entry.organisation_code)
        if org is not None and not org.is_active(quarter):
            continue
        regions = regions_by_org.setdefault(entry.organisation_code, [])
        if entry.region_code not in regions:
            regions.append(entry.region_code)
    return Register(
        expected=sorted(regions_by_org),
        names={code: org.name for code, org in orgs.items()},
        regions_by_org=regions_by_org,
    )


def coverage_frame(register: Register, delivered: list[str]) -> pd.DataFrame:
    expected = register.expected
    got = [org for org in expected if org in delivered]
    missing = [org for org in expected if org not in delivered]
    return pd.DataFrame(
        {
            "organisations_expected": [len(expected)],
            "organisations_delivered": [len(got)],
            "coverage": [len(got) / len(expected) if expected else 1.0],
            "missing_organisations": [", ".join(missing) or "geen"],
            "unregistered_organisations": [
                ", ".join(org for org in delivered if org not in expected) or "geen"
            ],
        }
    )


def add_register_counts(data) -> None:
    """Per region, who the register expects and who of them delivered, for the cross-check."""
    frame = data.frames.get("region_completeness")
    if frame is None or data.register is None:
        return
    expected: dict[str, set[str]] = {}
    for org, regions in data.register.regions_by_org.items():
        for region in regions:
            expected.setdefault(region, set()).add(org)
    delivered = set(data.delivered)
    frame["register_expected"] = [len(expected.get(r, ())) for r in frame["region"]]
    frame["register_delivered"] = [len(expected.get(r, set()) & delivered) for r in frame["region"]]
