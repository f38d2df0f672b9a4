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
from types import SimpleNamespace
from typing import Any

import pandas as pd

from werkmonitor.quality.frames import QuarterData
from werkmonitor.quality.results import BLOCKING, GateRun
from werkmonitor.quarters import Quarter
from werkmonitor.reference import submission_statuses

SHEET_NL = {"trajecten": "trajecten", "banen": "banen"}


def _status_nl(code: str) -> str:
    """A file's status in the words of ``seeds/submission_statuses.csv``."""
    status = submission_statuses().get(code)
    return status.long_nl if status else code


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


class _Rows:
    """A quarter's audit rows split once per organisation and submission.

    Rendering ~40 files a quarter, filtering the frames anew for each costs more
    than writing them.
    """

    def __init__(self, data: QuarterData) -> None:
        self.submissions = _split(data.submissions, "organisation_code")
        self.rejections = _split(data.rejections, "submission_id")
        self.quarantined = _split(data.quarantined, "submission_id")

    def quarantined_of(self, submission_ids: set) -> list[SimpleNamespace]:
        """The quarantined rows of these submissions, trajectories first, then by row."""
        found = [q for s in self.quarantined if s in submission_ids
                 for q in self.quarantined[s]]
        found.sort(key=lambda q: q._position)
        return sorted(found, key=lambda q: (SHEET_ORDER.get(q.sheet, 2), _row_key(q.source_row)))


SHEET_ORDER = {"trajecten": 0, "banen": 1}


def _row_key(value: Any) -> float:
    return math.inf if _text(value) == "" else float(value)


def _split(frame: pd.DataFrame | None, column: str) -> dict[Any, list[SimpleNamespace]]:
    """Rows as objects with one attribute per column, grouped by ``column`` in frame order.

    One ``to_dict`` per frame: ``itertuples`` or filtering costs milliseconds a call.
    """
    groups: dict[Any, list[SimpleNamespace]] = {}
    if frame is None or not len(frame):
        return groups
    for position, row in enumerate(frame.to_dict("records")):
        key = row[column]
        if _text(key) == "":
            continue
        groups.setdefault(key, []).append(SimpleNamespace(**row, _position=position))
    return groups


def render(org: str, data: QuarterData, run: GateRun, rows: _Rows | None = None) -> str:
    rows = rows or _Rows(data)
    quarter = Quarter.parse(data.quarter)
    name = data.register.names.get(org, "") if data.register else ""
    title = f"{org} {name}".strip()
    lines = [f"# Terugkoppeling werkmonitor: {title}, {quarter.label_nl()}", ""]

    subs = rows.submissions.get(org, [])
    lines += ["## Aanleveringen", ""]
    if not subs:
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
                [r.file_path, _status_nl(r.status), r.rows_accepted,
                 r.rows_quarantined]
                for r in subs
            ],
        )
        for r in (r for r in subs if r.status == "rejected"):
            lines += ["", f"### Afgekeurd: {r.file_path}", "",
                      "Niets uit dit bestand is verwerkt. Reden:", ""]
            details = rows.rejections.get(r.submission_id, [])
            if details:
                lines += _table(
                    ["tabblad", "rij", "kolom", "uitleg"],
                    [[d.sheet, d.source_row, d.column_name, d.message]
                     for d in details],
                )
            else:
                lines += [f"- {reason}" for reason in str(r.rejection_reason or "").splitlines()
                          if reason.strip()] or ["- (geen reden vastgelegd)"]
    lines.append("")

    quarantined = rows.quarantined_of({r.submission_id for r in subs if r.status == "accepted"})
    lines += ["## Rijen in quarantaine", ""]
    if not quarantined:
        lines.append("Geen rijen apart gezet.")
    else:
        n_rows = len({(q.sheet, _text(q.source_row)) for q in quarantined})
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
                for q in quarantined
            ],
        )
    lines.append("")

    lines += ["## Kwaliteitscontroles op uw gegevens", ""]
    mine = [r for r in run.results if not r.success and org in r.metadata.get("by_owner", {})]
    if not mine:
        has_accepted = any(r.status == "accepted" for r in subs)
        lines.append("Alle controles op uw geaccepteerde gegevens zijn geslaagd."
                     if has_accepted else "Geen geaccepteerde gegevens om te controleren.")
    for result in mine:
        label = "blokkerend" if result.severity == BLOCKING else "waarschuwing"
        count = result.metadata["by_owner"][org]
        description = f"{count} {result.metadata.get('description_nl', result.message)}"
        lines.append(f"- **{label}** ({result.target}): {description}")
        found = [row for row in result.metadata.get("rows", [])
                 if org in (row.get("organisation_code"), row.get("region"))]
        shown = [
            f"rij {row['source_row']}" + (f" (traject {row['traject_id']})"
                                           if row.get("traject_id") else "")
            for row in found if row.get("source_row") is not None
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
    rows = _Rows(data)
    for org in organisations_to_inform(data):
        path = feedback_path(organisations_dir, org, data.quarter)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(org, data, run, rows), encoding="utf-8")
        written.append(path)
    return written
