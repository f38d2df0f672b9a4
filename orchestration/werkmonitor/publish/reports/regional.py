"""One report per labour-market region, with its completeness note and mark."""

from __future__ import annotations

from werkmonitor.publish.reports import labels
from werkmonitor.publish.reports.cells import Scope
from werkmonitor.publish.reports.data import PublicData
from werkmonitor.publish.reports.document import Report
from werkmonitor.publish.reports.general import WHERE, build_body, introduction

STATUS_TEXT = {
    "complete": "Alle organisaties die in deze regio actief zijn, hebben gegevens aangeleverd.",
    "incomplete": "* Niet alle organisaties die in deze regio actief zijn, hebben gegevens "
    "aangeleverd; de cijfers zijn een onderschatting.",
    "no_data": "* Er zijn organisaties actief in deze regio, maar geen daarvan heeft "
    "gegevens aangeleverd.",
    "no_provider": "** In deze regio is geen aanbieder actief.",
}


def region_status(data: PublicData, code: str) -> dict | None:
    rows = data.completeness[data.completeness["region_code"] == code]
    if rows.empty:
        return None
    r = rows.iloc[0]
    missing = r.get("missing_organisations")
    missing = list(missing) if missing is not None and not isinstance(missing, str) else []
    text = STATUS_TEXT.get(r.get("status"), "")
    if missing:
        text += " Ontbrekend: " + ", ".join(missing) + "."
    return {"mark": r.get("mark") or "", "text": text}


def region_report(data: PublicData, code: str, name: str) -> Report:
    ql, pl = data.q.label_nl(), data.prev_q.label_nl()
    status = region_status(data, code)
    mark = f" {status['mark']}" if status and status["mark"] else ""
    subtitle = f"{name} ({code}){mark}"
    rep = Report("region", f"Regiorapport werkmonitor {ql}", subtitle)
    introduction(rep, ql, WHERE["region"].format(subtitle), status and status["text"])
    scope = Scope(
        data.indicators, "region", code, counts=labels.count_codes(), published=data.breakdowns
    )
    build_body(rep, scope, ql, pl, (data.q, data.history))
    return rep
