"""A published directory for the dashboard tests, and the figures SQL says it shows.

The published file comes from ``werkmonitor.publish.publish`` on the small
fixture warehouse of ``publish_fixtures``; a ``cohort_outcomes`` table in the
contract's columns is added when the publish step does not write one (the
fixture warehouse has no cohort mart). ``expected_*`` read the file with SQL
and format with :mod:`werkmonitor.formatting` — independently of the
dashboard's own data code — so a test compares the page against the file.
"""

from __future__ import annotations

import functools
from pathlib import Path

import duckdb
import pandas as pd
from publish_fixtures import build_warehouse

from werkmonitor.formatting import fmt_count, fmt_number, fmt_pct, fmt_pp, fmt_ratio, fmt_value
from werkmonitor.publish import publish
from werkmonitor.publish.reports.pdf import CHROMIUM as CHROMIUM  # used by the browser tests
from werkmonitor.publish.reports.pdf import chromium_flags_without_profile
from werkmonitor.reference import read_seed

# The reports' own Chromium and flags (Debian's package; never a downloaded browser).
CHROMIUM_FLAGS = chromium_flags_without_profile()


def cohort_rows() -> pd.DataFrame:
    """All IPS, EPA and CMD curves (national, all starts), months 1–24, at risk in fives."""
    rows = []
    for scheme, rate, n in (("ALL", 0.045, 600), ("EPA", 0.04, 400), ("CMD", 0.06, 200)):
        share = 0.0
        for month in range(1, 25):
            share = share + (1 - share) * rate
            at_risk = 5 * round(n * (0.95**month) / 5)
            rows.append(
                {
                    "as_of_quarter": "2024Q3",
                    "level": "national",
                    "region_code": None,
                    "region_name": None,
                    "trajectory_type": "IPS",
                    "financing": "ALL",
                    "ips_scheme": scheme,
                    "start_cohort": "ALL",
                    "outcome": "paid_work",
                    "month": month,
                    "at_risk": at_risk,
                    "cumulative_share": round(share, 6),
                    "ci_lower": round(max(share - 0.03, 0), 6),
                    "ci_upper": round(share + 0.03, 6),
                }
            )
    return pd.DataFrame(rows)


def published_dir(base: Path, with_cohorts: bool = True, policy_text: str | None = None) -> Path:
    """``policy_text``: the policy file's text (default: every breakdown and family)."""
    warehouse = build_warehouse(base / "warehouse.duckdb")
    # Every region breakdown and family published (``region_breakdowns: all``,
    # ``region_indicators: all``): the walks through the form visit region x scheme
    # cells and every indicator per region; the tier's restrictions have their own
    # tests (test_dashboard_build, test_dashboard_browser's unpublished tests).
    policy = base / "every_breakdown.yml"
    text = (
        "region_breakdowns: all\nregion_indicators: all\n" if policy_text is None else policy_text
    )
    policy.write_text(text, encoding="utf-8")
    result = publish(warehouse, base / "published", policy_path=policy)
    con = duckdb.connect(str(result.path))
    try:
        tables = {r[0] for r in con.execute("show tables").fetchall()}
        if with_cohorts and "cohort_outcomes" not in tables:
            frame = cohort_rows()
            con.register("frame", frame)
            con.execute("create table cohort_outcomes as select * from frame")
        if not with_cohorts and "cohort_outcomes" in tables:
            con.execute("drop table cohort_outcomes")
    finally:
        con.close()
    return result.path.parent


def _place_filter(place: str) -> tuple[str, list]:
    if place == "NL":
        return "level = 'national'", []
    return "level = 'region' and region_code = ?", [place]


def expected_cell(con, place, breakdown, indicator, quarter) -> dict | None:
    """What the page must show for one cell, from SQL; None when there is no row."""
    where, params = _place_filter(place)
    row = con.execute(
        f"""select display_value, is_suppressed, suppression_reason,
                   numerator, denominator, previous_value, change_absolute, change_relative,
                   like_for_like_value, like_for_like_previous_value
            from quarterly_indicators
            where {where} and trajectory_type = ? and financing = ? and ips_scheme = ?
              and ips_phase = ? and indicator = ? and quarter = ?""",
        [*params, *breakdown, indicator, quarter],
    ).fetchone()
    if row is None:
        return None
    (display, hidden, reason, num, den, prev, change, rel, lfl, lfl_prev) = row
    kind = indicator_kinds()[indicator]
    out = {"value": display, "hidden": bool(hidden), "reason": reason}
    if hidden:
        return out

    def amount(v) -> str:
        if v is None:
            return "–"
        return fmt_count(v) if float(v).is_integer() else fmt_number(v, 1)

    out["numerator"] = display if kind == "count" else amount(num)
    out["denominator"] = "–" if kind == "count" else amount(den)
    out["previous"] = "–" if prev is None else fmt_value(prev, kind)
    if change is None:
        out["change"] = "–"
    elif kind == "share":
        out["change"] = fmt_pp(change)
    elif kind == "ratio":
        out["change"] = fmt_ratio(change, sign=True)
    else:
        out["change"] = fmt_count(change, sign=True) + (
            f" ({fmt_pct(rel, sign=True)})" if rel is not None else ""
        )
    out["lfl"] = "" if lfl is None else fmt_value(lfl, kind)
    out["lfl_previous"] = "" if lfl_prev is None else fmt_value(lfl_prev, kind)
    return out


@functools.cache
def indicator_kinds() -> dict[str, str]:
    return {r["indicator"]: r["kind"] for r in read_seed("indicators")}  # the seed, not code


def expected_regions(con, breakdown, indicator, quarter) -> dict[str, tuple[str, str]]:
    """region code → (mark, shown value) for the tile grid's table."""
    marks = dict(
        con.execute(
            "select region_code, coalesce(mark, '') from region_completeness where quarter = ?",
            [quarter],
        ).fetchall()
    )
    values = dict(
        con.execute(
            """select region_code, display_value from quarterly_indicators
           where level = 'region' and trajectory_type = ? and financing = ? and ips_scheme = ?
             and ips_phase = ? and indicator = ? and quarter = ?""",
            [*breakdown, indicator, quarter],
        ).fetchall()
    )
    codes = [r[0] for r in con.execute("select region_code from dim_regions").fetchall()]
    return {c: (marks.get(c, ""), values.get(c) or "–") for c in codes}
