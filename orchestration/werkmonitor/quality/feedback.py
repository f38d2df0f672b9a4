"""Per-organisation feedback: what the monitor's team mails back to a data officer.

One Markdown file per organisation that delivered or was expected, in its
own folder of the organisation tier (``feedback_path``), in plain Dutch: which
files were accepted or rejected and why, which rows were set
aside (sheet, row as seen in Excel, column, the value as delivered, the rule),
and which quality checks failed on its rows.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from werkmonitor.quality.frames import QuarterData
from werkmonitor.quality.results import BLOCKING, GateRun
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


def render(org: str, data: QuarterData, run: GateRun) -> str:
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
    mine = [r for r in run.results if not r.success and org in r.metadata.get("by_owner", {})]
    if not mine:
        has_accepted = not subs.empty and (subs["status"] == "accepted").any()
        lines.append("Alle controles op uw geaccepteerde gegevens zijn geslaagd."
                     if has_accepted else "Geen geaccepteerde gegevens om te controleren.")
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


FEEDBACK_FILE = "feedback.md"


def feedback_path(organisations_dir: Path, org: str, quarter: str) -> Path:
    """``<organisations_dir>/<ORG>/<quarter>/feedback.md``: the organisation's own tier.

    The organisation's report (``werkmonitor.publish``) goes into the same folder.
    """
    return Path(organisations_dir) / org / quarter / FEEDBACK_FILE


def write_feedback(data: QuarterData, run: GateRun, organisations_dir: Path) -> list[Path]:
    written = []
    for org in organisations_to_inform(data):
        path = feedback_path(organisations_dir, org, data.quarter)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(org, data, run), encoding="utf-8")
        written.append(path)
    return written
