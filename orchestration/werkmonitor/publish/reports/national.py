"""The national report and its appendix of regions."""

from __future__ import annotations

from werkmonitor.publish.reports import cohort, labels
from werkmonitor.publish.reports.cells import MISSING, Scope
from werkmonitor.publish.reports.data import PublicData
from werkmonitor.publish.reports.document import Report, table
from werkmonitor.publish.reports.general import WHERE, build_body, introduction
from werkmonitor.reference import regions

TITLE = "Landelijk rapport resultaten werkmonitor"


def national_report(data: PublicData) -> Report:
    ql, pl = data.q.label_nl(), data.prev_q.label_nl()
    rep = Report("national", TITLE, ql.capitalize())
    introduction(rep, ql, WHERE["national"])
    scope = Scope(
        data.indicators, "national", counts=labels.count_codes(), published=data.breakdowns
    )
    build_body(rep, scope, ql, pl, (data.q, data.history), data.n_organisations)
    cohort.cohort_section(rep, data.cohorts)
    appendix(rep, data)
    return rep


def appendix(rep: Report, data: PublicData) -> None:
    blocks = rep.section("Bijlage. Resultaten per arbeidsmarktregio")
    comp = {r["region_code"]: r for r in data.completeness.to_dict("records")}
    rows = []
    for code, name in regions().items():
        scope = Scope(
            data.indicators, "region", code, counts=labels.count_codes(), published=data.breakdowns
        )
        c = comp.get(code, {})
        mark = c.get("mark") or ""
        cells = [scope.get("running").n, scope.get("started").n, scope.get("paid_work").pct]
        rows.append(
            [
                f"{name}{(' ' + mark) if mark else ''}",
                code,
                *(cells if not scope.empty else [MISSING] * 3),
                c.get("status_label_nl") or c.get("status") or MISSING,
            ]
        )
    table(
        blocks,
        [
            "Arbeidsmarktregio",
            "Code",
            labels.label("running"),
            labels.label("started"),
            labels.label("paid_work"),
            "Status",
        ],
        rows,
        note="* onvolledige gegevens: niet alle actieve organisaties hebben "
        "aangeleverd (de cijfers zijn een onderschatting); ** geen aanbieder in deze regio.",
    )
