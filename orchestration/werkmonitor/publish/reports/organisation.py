"""The organisation tier: one report per organisation, sent to that organisation only.

Its own figures unsuppressed (it knows its own clients) next to the public
national figures and the public figures of the regions it works in, then its
delivery: files, rejections, quarantined rows and the quarter's gate results.
No figure pooled from other organisations below the public level appears:
the only other figures are the published national and regional cells.
"""

from __future__ import annotations

from werkmonitor.publish.reports import labels
from werkmonitor.publish.reports.cells import MISSING, Scope
from werkmonitor.publish.reports.data import PublicData
from werkmonitor.publish.reports.document import Report, h, p, table
from werkmonitor.publish.reports.general import WHERE, build_body, introduction
from werkmonitor.publish.reports.workdata import WorkingData
from werkmonitor.reference import regions, submission_statuses

TIER_NOTE = (
    "Dit rapport is alleen bestemd voor {name}. De eigen cijfers zijn niet afgeschermd: "
    "ook aantallen van 1 tot en met 4 staan erin. De landelijke en regionale cijfers zijn "
    "de gepubliceerde cijfers; daarin staan kleine aantallen als <5 en afgeschermde cijfers als x."
)


def _status_nl(code: str | None) -> str:
    """A file's status in the words of ``seeds/submission_statuses.csv``."""
    status = submission_statuses().get(code or "")
    return status.label_nl if status else code or MISSING


def _own_text(cell, kind: str) -> str:
    if kind == "share" and cell.present and cell.value is not None:
        return f"{cell.pct} ({cell.n})"
    return cell.text(kind)


def comparison(blocks: list, own: Scope, national: Scope, areas: list[tuple[str, Scope]]) -> None:
    """Every catalogue indicator per trajectory type: own, national, each region."""
    types = {"ALL": "Alle trajecten", **labels.trajectory_types()}
    header = ["Indicator", "Eigen cijfers", "Landelijk", *(name for name, _ in areas)]
    for ttype, type_name in types.items():
        if ttype != "ALL" and ttype not in own.types_present():
            continue
        rows = []
        for ind in labels.indicators():
            mine, nat = own.get(ind.code, ttype), national.get(ind.code, ttype)
            if not (mine.present or nat.present):
                continue
            rows.append(
                [
                    ind.label_nl,
                    _own_text(mine, ind.kind),
                    nat.text(ind.kind),
                    *(s.get(ind.code, ttype).text(ind.kind) for _, s in areas),
                ]
            )
        if rows:
            h(blocks, f"Eigen cijfers naast de gepubliceerde cijfers: {type_name}")
            table(
                blocks,
                header,
                rows,
                note="Eigen percentages met het aantal cliënten tussen haakjes; "
                "landelijke en regionale cijfers zoals gepubliceerd.",
            )


def delivery_section(rep: Report, work: WorkingData, code: str) -> None:
    blocks = rep.section("Aanlevering en kwaliteitscontrole")
    files = work.files_of(code)
    if not files:
        p(blocks, "Voor dit kwartaal is geen aanlevering ontvangen.")
    else:
        table(
            blocks,
            [
                "Bestand",
                "Status",
                "Rijen geaccepteerd",
                "Rijen in quarantaine",
                "Reden van afwijzing",
            ],
            [
                [
                    f["file_name"],
                    _status_nl(f.get("status")),
                    _int(f.get("rows_accepted")),
                    _int(f.get("rows_quarantined")),
                    f.get("rejection_reason") or MISSING,
                ]
                for f in files
            ],
        )
    for title, frame in (
        ("Afgekeurde gegevens", work.of(work.rejections, code)),
        ("Rijen in quarantaine", work.of(work.quarantined, code)),
    ):
        h(blocks, title)
        if frame.empty:
            p(blocks, "Geen.")
            continue
        table(
            blocks,
            ["Blad", "Rij", "Kolom", "Regel", "Melding"],
            [
                [
                    r["sheet"] or MISSING,
                    _int(r["source_row"]),
                    r["column_name"] or MISSING,
                    r["rule_code"] or MISSING,
                    r["message"] or "",
                ]
                for r in frame.to_dict("records")
            ],
        )
    h(blocks, "Kwaliteitscontrole van het kwartaal")
    if work.gates.empty:
        p(blocks, "Voor dit kwartaal zijn geen resultaten van de kwaliteitscontrole vastgelegd.")
        return
    table(
        blocks,
        ["Controle", "Tabel", "Ernst", "Uitkomst"],
        [
            [
                r["gate"],
                r["target_table"],
                r["severity"],
                "geslaagd" if r["success"] else "niet geslaagd",
            ]
            for r in work.gates.to_dict("records")
        ],
    )


def _int(value) -> str:
    try:
        return str(int(value))
    except (TypeError, ValueError):
        return MISSING


def organisation_report(public: PublicData, work: WorkingData, code: str, name: str) -> Report:
    ql, pl = public.q.label_nl(), public.prev_q.label_nl()
    counts = labels.count_codes()
    rep = Report("organisation", f"Organisatierapport werkmonitor {ql}", f"{name} ({code})")
    blocks = introduction(rep, ql, WHERE["organisation"].format(name), TIER_NOTE.format(name=name))
    own = Scope(work.indicators, "organisation", code, counts=counts)
    national = Scope(public.indicators, "national", counts=counts, published=public.breakdowns)
    names = regions()
    areas = [
        (
            names.get(r, r),
            Scope(public.indicators, "region", r, counts=counts, published=public.breakdowns),
        )
        for r in work.regions_of(code)
    ]
    h(blocks, "Vergelijking met de landelijke en regionale cijfers")
    if own.empty:
        p(blocks, "Voor dit kwartaal zijn er geen eigen cijfers (geen geaccepteerde rijen).")
    else:
        comparison(blocks, own, national, areas)
    build_body(rep, own, ql, pl, (public.q, work.history))
    delivery_section(rep, work, code)
    return rep
