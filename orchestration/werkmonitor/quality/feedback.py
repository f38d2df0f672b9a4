"""Per-organisation feedback: what the monitor's team mails back to a data officer.

One Markdown file per organisation that delivered or was expected, in plain
Dutch: which files were accepted or rejected and why, which rows were set
aside (sheet, row as seen in Excel, column, the value as delivered, the rule),
and which quality checks failed on its rows.
"""

from __future__ import annotations

import html
import math
import os
from pathlib import Path
from typing import Any

import pandas as pd

from werkmonitor.quality.frames import QuarterData
from werkmonitor.quality.report import BLOCKING, GateReport
from werkmonitor.quarters import Quarter

STATUS_NL = {
    "accepted": "geaccepteerd (geldende versie)",
    "rejected": "afgekeurd",
    "superseded": "vervangen door een latere versie",
    "duplicate": "dubbel aangeleverd (zelfde inhoud), genegeerd",
}
SHEET_NL = {"trajecten": "trajecten", "banen": "banen"}


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_text(v) for v in row) + " |" for row in rows]
    return lines


def organisations_to_inform(data: QuarterData) -> list[str]:
    codes = set(data.register.expected if data.register else [])
    codes |= set(data.delivered)
    if data.submissions is not None and len(data.submissions):
        codes |= {c for c in data.submissions["organisation_code"].dropna() if c}
    return sorted(codes)


def render(org: str, data: QuarterData, report: GateReport) -> str:
    quarter = Quarter.parse(data.quarter)
    name = data.register.names.get(org, "") if data.register else ""
    title = f"{org} {name}".strip()
    lines = [f"# Terugkoppeling werkmonitor: {title}, {quarter.label_nl()}", ""]

    subs = pd.DataFrame()
    if data.submissions is not None and len(data.submissions):
        subs = data.submissions[data.submissions["organisation_code"] == org]
    lines += ["## Aanleveringen", ""]
    if subs.empty:
        regions = ", ".join(data.register.regions_by_org.get(org, [])) if data.register else ""
        lines.append(
            f"We hebben voor {quarter.label_nl()} geen aanlevering van u ontvangen. "
            f"Volgens het register levert u gegevens voor de regio's {regions or '(geen)'}; "
            "zonder uw aanlevering worden die regio's als onvolledig (*) gemarkeerd."
        )
    else:
        lines += _table(
            ["bestand", "status", "rijen geaccepteerd", "rijen in quarantaine"],
            [
                [r.file_path, STATUS_NL.get(r.status, r.status), r.rows_accepted,
                 r.rows_quarantined]
                for r in subs.itertuples()
            ],
        )
        for r in subs[subs["status"] == "rejected"].itertuples():
            lines += ["", f"### Afgekeurd: {r.file_path}", "",
                      "Niets uit dit bestand is verwerkt. Reden:", ""]
            details = pd.DataFrame()
            if data.rejections is not None and len(data.rejections):
                details = data.rejections[data.rejections["submission_id"] == r.submission_id]
            if not details.empty:
                lines += _table(
                    ["tabblad", "rij", "kolom", "uitleg"],
                    [[d.sheet, d.source_row, d.column_name, d.message]
                     for d in details.itertuples()],
                )
            else:
                lines += [f"- {reason}" for reason in str(r.rejection_reason or "").splitlines()
                          if reason.strip()] or ["- (geen reden vastgelegd)"]
    lines.append("")

    quarantined = pd.DataFrame()
    if data.quarantined is not None and len(data.quarantined):
        accepted = (
            set(subs.loc[subs["status"] == "accepted", "submission_id"]) if len(subs) else set()
        )
        quarantined = data.quarantined[data.quarantined["submission_id"].isin(accepted)]
        quarantined = quarantined.assign(
            _sheet_order=quarantined["sheet"].map({"trajecten": 0, "banen": 1}).fillna(2)
        ).sort_values(["_sheet_order", "source_row"], kind="stable")
    lines += ["## Rijen in quarantaine", ""]
    if quarantined.empty:
        lines.append("Geen rijen apart gezet.")
    else:
        n_rows = quarantined[["sheet", "source_row"]].drop_duplicates().shape[0]
        lines += [
            f"{n_rows} rij(en) zijn apart gezet en tellen niet mee in de cijfers "
            f"({len(quarantined)} bevinding(en)). Verbeter ze in uw bronbestand en lever "
            "het hele bestand opnieuw aan; de nieuwe versie vervangt de oude.",
            "",
        ]
        lines += _table(
            ["tabblad", "rij", "traject_id", "kolom", "aangeleverde waarde", "regel", "uitleg"],
            [
                [SHEET_NL.get(q.sheet, q.sheet), q.source_row, q.traject_id, q.column_name,
                 q.value, q.rule_code, q.message]
                for q in quarantined.itertuples()
            ],
        )
    lines.append("")

    lines += ["## Kwaliteitscontroles op uw gegevens", ""]
    mine = [r for r in report.results if not r.success and org in r.metadata.get("by_owner", {})]
    if not mine:
        lines.append("Alle controles op uw geaccepteerde gegevens zijn geslaagd."
                     if not subs.empty else "Geen gegevens om te controleren.")
    for result in mine:
        label = "blokkerend" if result.severity == BLOCKING else "waarschuwing"
        count = result.metadata["by_owner"][org]
        description = f"{count} {result.metadata.get('description_nl', result.message)}"
        lines.append(f"- **{label}** ({result.target}): {description}")
        rows = [row for row in result.metadata.get("rows", [])
                if org in (row.get("organisation_code"), row.get("region"))]
        shown = [
            f"rij {row['source_row']}" + (f" (traject {row['traject_id']})"
                                           if row.get("traject_id") else "")
            for row in rows if row.get("source_row") is not None
        ]
        if shown:
            lines.append(f"  - {', '.join(shown[:10])}" + (" …" if count > 10 else ""))
    lines.append("")
    return "\n".join(lines)


def write_feedback(data: QuarterData, report: GateReport, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for org in organisations_to_inform(data):
        path = folder / f"{org}.md"
        path.write_text(render(org, data, report), encoding="utf-8")
        written.append(path)
    return written


def write_overview(report: GateReport, docs_dir: Path, site_dir: Path | None = None) -> Path:
    """A plain Dutch page next to GX's Data Docs, readable without internet.

    GX's ``index.html`` draws its list of results with scripts from public
    CDNs; this page lists every gate with its verdict and links to the GX
    validation page of its suite, which renders on its own. ``site_dir`` is
    the GX site when it is shared by many quarters (pages of this quarter are
    the ones under its run name); without it ``docs_dir`` is the site.
    """
    site = site_dir or docs_dir
    docs_dir.mkdir(parents=True, exist_ok=True)
    run_folder = f"werkmonitor {report.quarter}" if site_dir is not None else "*"
    pages = {}
    for page in sorted((site / "validations").glob(f"*/{run_folder}/**/*.html")):
        suite = page.relative_to(site / "validations").parts[0]
        pages[suite] = Path(os.path.relpath(page, docs_dir))
    index = Path(os.path.relpath(site / "index.html", docs_dir))
    rows = []
    order = sorted(report.results, key=lambda r: (r.success, r.severity != BLOCKING, r.target))
    for r in order:
        verdict = "geslaagd" if r.success else (
            "BLOKKEREND" if r.severity == BLOCKING else "waarschuwing")
        suite = r.metadata.get("suite", "")
        link = (f'<a href="{html.escape(pages[suite].as_posix())}">{html.escape(suite)}</a>'
                if suite in pages else html.escape(suite))
        rows.append(
            f"<tr class=\"{'ok' if r.success else r.severity}\"><td>{verdict}</td>"
            f"<td>{html.escape(r.target)}</td><td>{html.escape(r.name)}</td>"
            f"<td>{r.unexpected_count}</td><td>{html.escape(r.message)}</td><td>{link}</td></tr>"
        )
    quarter = Quarter.parse(report.quarter)
    body = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<title>Kwaliteitscontrole {quarter}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }}
tr.blocking td:first-child {{ background: #f8d0d0; font-weight: bold; }}
tr.warning td:first-child {{ background: #fbeec0; }}
tr.ok td:first-child {{ color: #2a7a2a; }}
</style></head><body>
<h1>Kwaliteitscontrole {quarter.label_nl()}</h1>
<p>{html.escape(report.summary())}</p>
<p><a href="{html.escape(index.as_posix())}">Great Expectations Data Docs</a>
(volledige resultaten per suite)</p>
<table><tr><th>uitslag</th><th>tabel</th><th>controle</th><th>rijen</th><th>bevinding</th>
<th>suite</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""
    path = docs_dir / "gates.html"
    path.write_text(body, encoding="utf-8")
    return path


def write_index_overview(reports: list[GateReport], site_dir: Path) -> Path:
    """``gates.html`` at the site root: one line per quarter with a link to its overview.

    Quarters validated by earlier runs keep their line: every
    ``<quarter>/gates.html`` in the site is listed, newest quarter first.
    """
    summaries = {report.quarter: report.summary() for report in reports}
    quarters = sorted(
        {p.parent.name for p in site_dir.glob("*/gates.html")} | set(summaries), reverse=True
    )
    rows = []
    for q in quarters:
        label = Quarter.parse(q).label_nl()
        summary = summaries.get(q, "eerder gecontroleerd; zie de pagina van het kwartaal")
        rows.append(f'<tr><td><a href="{q}/gates.html">{html.escape(label)}</a></td>'
                    f"<td>{html.escape(summary)}</td></tr>")
    body = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<title>Kwaliteitscontrole werkmonitor</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; }}
</style></head><body>
<h1>Kwaliteitscontrole werkmonitor</h1>
<p><a href="index.html">Great Expectations Data Docs</a> (alle kwartalen)</p>
<table><tr><th>kwartaal</th><th>uitslag van de laatste controle</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""
    path = site_dir / "gates.html"
    path.write_text(body, encoding="utf-8")
    return path
