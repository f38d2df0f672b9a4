"""Tiny hand-made public files and working warehouses for the report tests.

Each test states the few rows its shape of data needs (all zeros, all hidden,
one period, …); everything else is absent, which a report reads as 0 people.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import duckdb
import pandas as pd

from werkmonitor.publish.build import PUBLISHED_NAME

QUARTER = "2024Q3"
KEY = dict(
    quarter=QUARTER,
    level="national",
    region_code=None,
    organisation_code=None,
    trajectory_type="ALL",
    financing="ALL",
    ips_scheme="ALL",
    ips_phase="ALL",
)
COUNTS = ("orientation", "orientation_ended", "running", "started", "ended")


def row(indicator: str, numerator: float, denominator: float | None = None, **kw) -> dict:
    """One indicator row; a share's value is numerator / denominator."""
    r = {
        **KEY,
        "indicator": indicator,
        "numerator": float(numerator),
        "denominator": None if denominator is None else float(denominator),
        "previous_value": None,
        "is_suppressed": False,
        "suppression_reason": None,
        "display_value": None,
    }
    r.update(kw)
    if "value" not in kw:
        if indicator in COUNTS or denominator is None:
            r["value"] = float(numerator)
        else:
            r["value"] = numerator / denominator if denominator else None
    if r["is_suppressed"]:
        r["display_value"] = "<5" if r["suppression_reason"] == "small_count" else "x"
    return r


def hidden(indicator: str, numerator: float, reason: str = "small_count", **kw) -> dict:
    return row(indicator, numerator, is_suppressed=True, suppression_reason=reason, **kw)


def public_file(
    directory: Path,
    rows: list[dict],
    orgs=("ORG01",),
    quarters=(QUARTER,),
    completeness: list[dict] | None = None,
    cohorts: pd.DataFrame | None = None,
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / PUBLISHED_NAME
    path.unlink(missing_ok=True)
    indicators = pd.DataFrame(rows, columns=list(row("running", 0)))
    publication = pd.DataFrame(
        [
            {
                "publication_id": "P1",
                "published_at": pd.Timestamp("2024-10-20 12:00"),
                "quarter": q,
                "quarter_publication_id": "P1",
                "data_version": "v1",
                "gate_status": "passed",
                "organisation_code": o,
                "file_name": f"{o}_{q}.xlsx",
                "content_hash": "ab" * 32,
            }
            for q in quarters
            for o in orgs
        ]
    )
    comp = pd.DataFrame(
        completeness or [],
        columns=[
            "quarter",
            "region_code",
            "status",
            "mark",
            "missing_organisations",
            "status_label_nl",
        ],
    )
    with duckdb.connect(str(path)) as con:
        con.register("i", indicators)
        con.execute("create table quarterly_indicators as select * from i")
        con.register("p", publication)
        con.execute("create table publication as select * from p")
        con.register("c", comp)
        con.execute("create table region_completeness as select * from c")
        if cohorts is not None:
            con.register("k", cohorts)
            con.execute("create table cohort_outcomes as select * from k")
    return path


def working_warehouse(
    path: Path,
    rows: list[dict],
    submissions: list[dict] = (),
    rejections: list[dict] = (),
    quarantined: list[dict] = (),
    gates: list[dict] = (),
) -> Path:
    """marts.quarterly_indicators (organisation rows) and the audit tables."""
    path.unlink(missing_ok=True)
    frames = {
        "marts.quarterly_indicators": pd.DataFrame(rows, columns=list(row("running", 0))),
        "audit.submissions": pd.DataFrame(
            list(submissions),
            columns=[
                "submission_id",
                "file_path",
                "organisation_code",
                "quarter",
                "content_hash",
                "load_order",
                "status",
                "rows_accepted",
                "rows_quarantined",
                "rejection_reason",
            ],
        ),
        "audit.rejections": pd.DataFrame(
            list(rejections),
            columns=["submission_id", "sheet", "source_row", "column_name", "rule_code", "message"],
        ),
        "audit.quarantined_rows": pd.DataFrame(
            list(quarantined),
            columns=[
                "submission_id",
                "sheet",
                "source_row",
                "traject_id",
                "column_name",
                "value",
                "rule_code",
                "message",
            ],
        ),
        "audit.quality_gate_results": pd.DataFrame(
            list(gates),
            columns=[
                "quarter",
                "run_at",
                "gate",
                "target_table",
                "severity",
                "success",
                "unexpected_count",
                "message",
            ],
        ),
    }
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema audit")
        for name, frame in frames.items():
            con.register("f", frame)
            con.execute(f"create table {name} as select * from f")
            con.unregister("f")
    return path


def submission(org: str, status: str = "accepted", **kw) -> dict:
    return {
        "submission_id": f"{org}_{QUARTER}",
        "file_path": f"{QUARTER}/{org}_{QUARTER}.xlsx",
        "organisation_code": org,
        "quarter": QUARTER,
        "content_hash": "cd" * 32,
        "load_order": 1,
        "status": status,
        "rows_accepted": 10,
        "rows_quarantined": 0,
        "rejection_reason": None,
        **kw,
    }


TEMPLATES = re.compile(r'<script type="application/json" id="chart-templates">(.*?)</script>', re.S)
FIGURE = re.compile(
    r'<figure class="chart" id="(figuur-\d+)" data-template="(t\d+)">(.*?)</figure>', re.S
)
DATA = re.compile(r'<script type="application/json" class="chart-data">(.*?)</script>', re.S)
SVG_TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")


def figures(html: str) -> list[dict]:
    """Each figure of a report page as the browser gets it.

    ``spec`` (the page's template with the figure's rows, exactly what the
    page hands to vega-embed), ``caption``, ``table`` (header and rows of the
    figure's table, cells as the reader reads them: HTML entities resolved).
    """
    found = TEMPLATES.search(html)
    templates = json.loads(found.group(1)) if found else {}
    out = []
    for fid, tid, body in FIGURE.findall(html):
        data = json.loads(DATA.search(body).group(1))
        rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
        out.append(
            {
                "id": fid,
                "spec": {**templates[tid], **data},
                "caption": re.search(r"<figcaption>(.*?)</figcaption>", body, re.S).group(1),
                "table": [
                    [htmllib.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
                    for r in rows
                ],
            }
        )
    return out


def chart_texts(html: str) -> list[str]:
    """Every text the page's charts draw: each figure's spec drawn by Vega (vl-convert)."""
    from werkmonitor import charts

    return [t for f in figures(html) for t in SVG_TEXT.findall(charts.to_svg(f["spec"]))]


BREAKDOWN_SQL = (
    "case when financing <> 'ALL' then 'financing' when ips_scheme <> 'ALL' then 'ips_scheme' "
    "when ips_phase <> 'ALL' then 'ips_phase' else 'trajectory_type' end"
)


def restrict_region_breakdown(
    published: Path, trajectory_type: str = "IPS", breakdown: str = "ips_scheme"
) -> int:
    """Turn ``published`` into a file of the tier contract (issue 10 §2) that does not
    publish ``breakdown`` of ``trajectory_type`` at region level: its region rows are
    deleted and ``published_breakdowns`` lists every other (level, type, breakdown)
    the file has rows of. Returns the number of rows deleted (a test checks it is > 0).
    Written in SQL here, apart from the readers' own code (``charts.published``)."""
    with duckdb.connect(str(published)) as con:
        where = f"level = 'region' and trajectory_type = ? and {BREAKDOWN_SQL} = ?"
        (deleted,) = con.execute(
            f"select count(*) from quarterly_indicators where {where}",
            [trajectory_type, breakdown],
        ).fetchone()
        con.execute(f"delete from quarterly_indicators where {where}", [trajectory_type, breakdown])
        con.execute(
            "create or replace table published_breakdowns as select distinct level, "
            f"trajectory_type, {BREAKDOWN_SQL} as breakdown from quarterly_indicators "
            "where level in ('national', 'region') order by all"
        )
    return deleted
