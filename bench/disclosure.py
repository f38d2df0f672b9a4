"""Disclosure benchmark: publish a warehouse, report audit time and utility.

    python bench/disclosure.py /path/to/werkmonitor.duckdb [--out DIR] [--intervals]
        [--before /path/to/an/earlier/published/werkmonitor.duckdb]

Prints JSON: wall and CPU seconds of the publish, the audit's CPU seconds per
quarter, the share of cells shown per level and family before (primary
suppression only: the upper bound) and after, the round-1 shares for
reference, hidden cells by reason, the headline targets (national headline
cells and the IPS figures of regions with >= 10 running IPS, per quarter,
with the forced and the chosen x named), and, with --intervals, the LP
interval audit of the published file (cells whose feasible interval is
narrower than 1..4, the reader knowing x >= 5 on counts). With --before, the
cells shown as a figure in that earlier published file against this one, per
level and family, absolute and as shares: over each file's own cells and over
the earlier file's cells (a cell no longer published counts as not shown).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from werkmonitor.publish.disclosure.targets import HEADLINE  # the headline list, once


def headline(path: Path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = ", ".join(f"'{h}'" for h in HEADLINE)
        shown, total = con.execute(
            "select count(*) filter (where display_value <> 'x'), count(*) "
            "from quarterly_indicators where level = 'national' and financing = 'ALL' "
            f"and ips_scheme = 'ALL' and ips_phase = 'ALL' and indicator in ({names})"
        ).fetchone()
    finally:
        con.close()
    return {"national_headline_shown_or_lt5": shown, "national_headline_cells": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--intervals", action="store_true")
    parser.add_argument("--before", type=Path, default=None)
    args = parser.parse_args()
    from werkmonitor.publish import publish

    out = args.out or Path(tempfile.mkdtemp(prefix="bench-disclosure-"))
    shutil.rmtree(out, ignore_errors=True)
    cpu, wall = time.process_time(), time.perf_counter()
    result = publish(args.warehouse, out)
    report = {
        "publish_wall_seconds": round(time.perf_counter() - wall, 2),
        "publish_cpu_seconds": round(time.process_time() - cpu, 2),
        **result.metadata,
        **headline(result.path),
    }
    if args.before is not None:
        report["shown_before_after"] = before_after(args.before, result.path)
    if args.intervals:
        report["lp_audit"] = lp_audit(result.path)
    print(json.dumps(report, indent=1, default=str))


def before_after(before: Path, after: Path) -> dict:
    from werkmonitor.publish.disclosure.utility import compare_shown

    tables = []
    for path in (before, after):
        con = duckdb.connect(str(path), read_only=True)
        try:
            tables.append(con.execute("select * from quarterly_indicators").df())
        finally:
            con.close()
    return compare_shown(*tables)


def lp_audit(path: Path) -> dict:
    """LP intervals of the protected cells of the published file, per quarter."""
    import pandas as pd

    from werkmonitor.charts.published import PublishedBreakdowns
    from werkmonitor.publish.disclosure.audit import audit
    from werkmonitor.publish.disclosure.system import KEY, build_system

    con = duckdb.connect(str(path), read_only=True)
    table = con.execute("select * from quarterly_indicators").df()
    published = PublishedBreakdowns.read(con).is_published
    con.close()
    out = {}
    for quarter, rows in table.groupby("quarter"):
        rows = rows.reset_index(drop=True)
        frame = rows[KEY].assign(
            numerator=pd.to_numeric(rows["numerator"]).fillna(0.0),
            denominator=pd.to_numeric(rows["denominator"]),
        )
        system = build_system(frame, published=published)
        shown = ~rows["is_suppressed"].to_numpy(bool)
        reason = rows["suppression_reason"].astype("string").fillna("").to_numpy(object)
        # a published file has no hidden values: no true point to start from
        result = audit(system, shown, reason, 5, 10, 0.0, truth_known=False)
        out[quarter] = {
            "narrowed": len(result.findings),
            "cpu_seconds": round(result.cpu_seconds, 2),
            "lps": result.lps,
        }
    return out


if __name__ == "__main__":
    main()
